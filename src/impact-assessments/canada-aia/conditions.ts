/**
 * The visibility conditions of the Canada AIA questionnaire. The file is a SurveyJS form, and a
 * page or question with a `visibleIf` expression is shown only while the expression holds for the
 * answers given so far. The file uses a small part of SurveyJS's expression language, and this
 * module implements exactly that part:
 *
 *   condition  := and-chain ("or" and-chain)*
 *   and-chain  := term ("and" term)*
 *   term       := "(" condition ")" | "{" question "}" ("=" | "contains") operand
 *   operand    := string | "[" string ("," string)* "]"
 *
 * Anything else is rejected when the template loads, so an edited file cannot be misread silently.
 */

export type Answer = string | readonly string[];
export type Answers = Readonly<Record<string, Answer>>;

export type Condition =
  | { kind: 'or' | 'and'; operands: Condition[] }
  | { kind: 'equals' | 'contains'; question: string; operand: string | string[] };

type Token =
  | { kind: 'question'; name: string; at: number }
  | { kind: 'string'; value: string; at: number }
  | { kind: 'symbol'; value: '(' | ')' | '[' | ']' | ',' | '='; at: number }
  | { kind: 'word'; value: 'and' | 'or' | 'contains'; at: number };

export class ConditionSyntaxError extends Error {}

/** Parses a `visibleIf` expression, or throws ConditionSyntaxError naming the position. */
export function parseCondition(text: string): Condition {
  const tokens = tokenize(text);
  let index = 0;

  const fail = (message: string): never => {
    const at = tokens[index]?.at ?? text.length;
    throw new ConditionSyntaxError(`${message} at position ${at} of ${JSON.stringify(text)}`);
  };
  const peek = (): Token | undefined => tokens[index];
  const isWord = (token: Token | undefined, value: string): boolean => token?.kind === 'word' && token.value === value;
  const isSymbol = (token: Token | undefined, value: string): boolean => token?.kind === 'symbol' && token.value === value;

  const parseChain = (kind: 'or' | 'and', parseOperand: () => Condition): Condition => {
    const operands = [parseOperand()];
    while (isWord(peek(), kind)) {
      index += 1;
      operands.push(parseOperand());
    }
    return operands.length === 1 ? operands[0]! : { kind, operands };
  };
  const parseOr = (): Condition => parseChain('or', parseAnd);
  const parseAnd = (): Condition => parseChain('and', parseTerm);

  const parseTerm = (): Condition => {
    const token = peek();
    if (isSymbol(token, '(')) {
      index += 1;
      const inner = parseOr();
      if (!isSymbol(peek(), ')')) fail('expected ")"');
      index += 1;
      return inner;
    }
    if (token?.kind !== 'question') return fail('expected a question reference such as {riskProfile1}');
    index += 1;
    const operator = peek();
    let kind: 'equals' | 'contains';
    if (isSymbol(operator, '=')) kind = 'equals';
    else if (isWord(operator, 'contains')) kind = 'contains';
    else return fail('expected "=" or "contains"');
    index += 1;
    return { kind, question: token.name, operand: parseOperand() };
  };

  const parseOperand = (): string | string[] => {
    const token = peek();
    if (token?.kind === 'string') {
      index += 1;
      return token.value;
    }
    if (!isSymbol(token, '[')) return fail('expected a quoted value or a list of quoted values');
    index += 1;
    const values: string[] = [];
    for (;;) {
      const item = peek();
      if (item?.kind !== 'string') return fail('expected a quoted value in the list');
      values.push(item.value);
      index += 1;
      if (isSymbol(peek(), ',')) {
        index += 1;
        continue;
      }
      if (isSymbol(peek(), ']')) {
        index += 1;
        return values;
      }
      return fail('expected "," or "]"');
    }
  };

  const condition = parseOr();
  if (index < tokens.length) fail('unexpected text after the condition');
  return condition;
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  while (position < text.length) {
    const character = text[position]!;
    if (/\s/.test(character)) {
      position += 1;
      continue;
    }
    if (character === '{') {
      const end = text.indexOf('}', position);
      if (end < 0) throw new ConditionSyntaxError(`unclosed "{" at position ${position} of ${JSON.stringify(text)}`);
      tokens.push({ kind: 'question', name: text.slice(position + 1, end).trim(), at: position });
      position = end + 1;
      continue;
    }
    if (character === '"' || character === "'") {
      const end = text.indexOf(character, position + 1);
      if (end < 0) throw new ConditionSyntaxError(`unclosed quote at position ${position} of ${JSON.stringify(text)}`);
      tokens.push({ kind: 'string', value: text.slice(position + 1, end), at: position });
      position = end + 1;
      continue;
    }
    if ('()[],='.includes(character)) {
      tokens.push({ kind: 'symbol', value: character as '(' | ')' | '[' | ']' | ',' | '=', at: position });
      position += 1;
      continue;
    }
    const word = /^[A-Za-z]+/.exec(text.slice(position))?.[0];
    const lower = word?.toLowerCase();
    if (lower === 'and' || lower === 'or' || lower === 'contains') {
      tokens.push({ kind: 'word', value: lower, at: position });
      position += word!.length;
      continue;
    }
    throw new ConditionSyntaxError(`unsupported text ${JSON.stringify(word ?? character)} at position ${position} of ${JSON.stringify(text)}`);
  }
  return tokens;
}

/** Names every question a condition reads. */
export function questionsReadBy(condition: Condition): string[] {
  return 'operands' in condition ? condition.operands.flatMap(questionsReadBy) : [condition.question];
}

/**
 * Evaluates a condition against the answers. An unanswered question satisfies neither operator.
 * The operators follow SurveyJS: `=` compares a single choice with a value, or a set of choices
 * with a list regardless of order. `contains` on a single choice tests for the operand as a
 * substring, because SurveyJS compares text that way, so `{aboutSystem3} contains ["item2"]`
 * holds for the stored value "item2-0". On a set of choices, `contains` holds when every
 * listed value is among the chosen ones.
 */
export function evaluateCondition(condition: Condition, answers: Answers): boolean {
  switch (condition.kind) {
    case 'or':
      return condition.operands.some((operand) => evaluateCondition(operand, answers));
    case 'and':
      return condition.operands.every((operand) => evaluateCondition(operand, answers));
    case 'equals':
      return answerEquals(answers[condition.question], condition.operand);
    case 'contains':
      return answerContains(answers[condition.question], condition.operand);
  }
}

function answerEquals(answer: Answer | undefined, operand: string | string[]): boolean {
  if (answer === undefined) return false;
  if (typeof answer === 'string') return typeof operand === 'string' && answer === operand;
  if (typeof operand === 'string') return false;
  return answer.length === operand.length && operand.every((value) => answer.includes(value));
}

function answerContains(answer: Answer | undefined, operand: string | string[]): boolean {
  if (answer === undefined) return false;
  // SurveyJS turns a list operand into text joined by commas before a substring test.
  if (typeof answer === 'string') return answer.includes(typeof operand === 'string' ? operand : operand.join(','));
  const required = typeof operand === 'string' ? [operand] : operand;
  return required.every((value) => answer.includes(value));
}
