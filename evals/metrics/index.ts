/** The evaluation metrics: pure functions and `{key, score, comment}` evaluators. */
export * from "./types.js";
export * from "./ranking.js";
export * from "./discovery.js";
export * from "./diversity.js";
export * from "./classification.js";
export * from "./trends.js";
export * from "./grounding.js";
export * from "./cost.js";
export * from "./serendipity.js";
export * from "./catalog-judge.js";
