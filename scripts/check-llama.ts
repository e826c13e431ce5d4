/**
 * `npx tsx scripts/check-llama.ts`: checks that node-llama-cpp's prebuilt CPU llama.cpp loads on
 * this machine (after `npm ci`, without install scripts); exits 1 with the loader's error otherwise.
 */
import { getLlama, LlamaLogLevel } from "node-llama-cpp";

getLlama({ gpu: false, build: "never", logLevel: LlamaLogLevel.error })
  .then(async (llama) => {
    console.log(`node-llama-cpp: prebuilt CPU llama.cpp loads (${llama.cpuMathCores} math cores)`);
    await llama.dispose();
  })
  .catch((e: unknown) => {
    console.error(`node-llama-cpp: the prebuilt llama.cpp binary does not load: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
