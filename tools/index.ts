/** The LangChain tools of the inference graph: trend sources (local corpus, Tavily web search). */
export {
  CORPUS_SOURCE_TOOLS,
  createCorpusSearchTool,
  createTrendTools,
  rerankByEmbedding,
  sourceOfTool,
  type CorpusResult,
  type TrendEmbedder,
  type TrendToolsOptions,
} from "./trend-tools.js";
export {
  createWebSearchTool,
  tavilyOptionsFromEnv,
  webResultId,
  WEB_SEARCH_TOOL,
  type TavilyToolOptions,
  type WebResult,
} from "./web-search.js";
