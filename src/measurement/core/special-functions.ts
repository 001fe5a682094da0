/**
 * Special functions of the measurement core: the gamma family with the chi-square survival
 * function, and the Kolmogorov-Smirnov distributions that the drift tests need. Each function
 * lives in special-functions/; this module gathers the public ones.
 */

export {
  binomialDeviance,
  chiSquareSurvival,
  logGamma,
  lowerRegularizedGamma,
  poissonTerm,
  stirlingError,
  upperRegularizedGamma,
} from './special-functions/gamma.js';
export { durbinMatrixCdf } from './special-functions/durbin-matrix.js';
export { kolmogorovSmirnovSurvival } from './special-functions/kolmogorov-one-sample.js';
export { greatestCommonDivisor, twoSampleKolmogorovSmirnovSurvival } from './special-functions/kolmogorov-two-sample.js';
export { pelzGoodCdf } from './special-functions/pelz-good.js';
export { pomeranzCdf } from './special-functions/pomeranz.js';
export { clipProbability, roundHalfToEven } from './special-functions/probability.js';
export { smirnovSurvival } from './special-functions/smirnov.js';
