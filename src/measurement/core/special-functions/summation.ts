/**
 * A running sum with Neumaier's compensation. The rounding error of every addition is kept apart
 * and added back at the end, so a long sum loses only a few units in the last place, whatever the
 * order and the signs of its terms.
 */
export class CompensatedSum {
  private sum = 0;
  private compensation = 0;

  add(term: number): void {
    const next = this.sum + term;
    this.compensation += Math.abs(this.sum) >= Math.abs(term) ? this.sum - next + term : term - next + this.sum;
    this.sum = next;
  }

  get value(): number {
    return this.sum + this.compensation;
  }
}
