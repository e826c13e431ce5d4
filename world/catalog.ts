/**
 * The static catalog of the synthetic 1688-like world: the category tree (9 top-level groups,
 * 59 leaves), the factors and their values (with aliases and per-group scope), which factors each
 * leaf allows, price ranges and price bands, title fillers, seasonality curves, and the
 * cross-category pairs that buyers' behaviour uses (tops → skirts / trousers, cards → sleeves /
 * card bricks, phone cases → lanyards, …). Ids are stable: `c-<slug>` for categories and
 * `v-<factor>-<slug>` for values; append new entries, never renumber.
 */
import type { CategoryRecord, FactorRecord, ValueRecord } from "../contracts/records.js";

/** Factor keys used in value ids, with their Chinese names. */
export const FACTORS = {
  style: "风格",
  pattern: "图案",
  color: "颜色",
  material: "材质",
  ip: "IP",
  function: "功能",
  price: "价格带",
  season: "季节",
  cut: "款式",
} as const;
export type FactorKey = keyof typeof FACTORS;
export type FactorName = (typeof FACTORS)[FactorKey];

/** Top-level group keys. */
export const GROUPS = ["women", "acc", "toys", "phone", "home", "stat", "bags", "beauty", "gift"] as const;
export type Group = (typeof GROUPS)[number];

const GROUP_NAMES: Record<Group, string> = {
  women: "女装",
  acc: "配饰",
  toys: "卡牌潮玩",
  phone: "手机配件",
  home: "家居",
  stat: "文具",
  bags: "箱包",
  beauty: "美妆",
  gift: "节庆礼品",
};

/** Monthly demand multipliers (Jan..Dec). */
export const SEASON_CURVES = {
  flat: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
  summer: [0.4, 0.5, 0.8, 1.2, 1.7, 1.9, 1.7, 1.2, 0.7, 0.5, 0.4, 0.4],
  winter: [1.6, 1.1, 0.6, 0.4, 0.3, 0.2, 0.2, 0.4, 0.9, 1.5, 1.9, 1.9],
  springAutumn: [0.6, 0.9, 1.4, 1.3, 0.8, 0.5, 0.5, 0.9, 1.4, 1.4, 0.9, 0.6],
  school: [0.8, 1.6, 1.1, 0.8, 0.7, 0.8, 1.3, 2.0, 1.7, 0.8, 0.7, 0.7],
  festival: [1.9, 1.2, 0.5, 0.5, 0.7, 0.6, 0.5, 0.6, 1.0, 0.9, 1.3, 2.2],
} as const;
export type SeasonCurve = keyof typeof SEASON_CURVES;

/** A value definition: `slug:名称|别名|别名@scope,scope` (scope = groups or leaf slugs; none = any). */
type ValueSpec = string;

const VALUE_SPECS: Record<FactorKey, ValueSpec[]> = {
  style: [
    "french:法式|法式风", "korean:韩系|韩版", "newchinese:新中式|国风", "retro:复古", "minimal:简约|极简",
    "sweet:甜美", "commute:通勤", "street:街头|潮酷", "japanese:日系", "guochao:国潮", "ins:ins风",
    "mori:森系", "y2k:Y2K|辣妹风", "cream:奶油风", "dopamine:多巴胺", "maillard:美拉德", "oldmoney:老钱风",
    "preppy:学院风", "cute:可爱风|萌系", "lazy:慵懒风", "sporty:运动风",
  ],
  pattern: [
    "floral:碎花|小碎花", "plaid:格纹|格子", "stripe:条纹", "polka:波点|圆点", "solid:纯色", "print:印花",
    "embroidery:刺绣", "cartoon:卡通", "letter:字母", "bow:蝴蝶结", "leopard:豹纹", "tiedye:扎染", "lace:蕾丝",
  ],
  color: [
    "black:黑色", "white:白色", "offwhite:米白|奶白", "apricot:杏色", "khaki:卡其色|卡其", "pink:粉色|粉红",
    "red:红色", "burgundy:酒红色|酒红", "blue:蓝色", "hazeblue:雾霾蓝", "green:绿色", "avocado:牛油果绿",
    "purple:紫色", "taro:香芋紫", "yellow:黄色|鹅黄", "grey:灰色", "brown:棕色|咖啡色", "navy:藏青色|藏青",
    "transparent:透明@phone,toys,home,stat,beauty", "silver:银色@acc,phone,bags,gift", "gold:金色@acc,phone,gift,home",
  ],
  material: [
    "chiffon:雪纺@women", "linen:棉麻@women,home,bags", "cotton:纯棉|全棉@women,home", "silk:真丝|桑蚕丝@women,acc",
    "knit:针织@women,acc", "denim:牛仔@women,bags", "wool:羊毛@women,acc", "cashmere:羊绒@women,acc",
    "leather:真皮|头层牛皮@bags,acc", "pu:PU皮|PU@bags,phone", "canvas:帆布@bags,stat", "silicone:硅胶@phone,home,beauty",
    "tpu:TPU@phone", "alloy:合金@acc,phone", "sterling:925银|纯银@acc", "ceramic:陶瓷@home", "glass:玻璃@home",
    "wood:实木|木质@home,stat", "acrylic:亚克力@acc,phone,stat,home,toys", "plush:毛绒@toys,home,acc",
    "nylon:尼龙@bags", "resin:树脂@toys,acc", "pvc:PVC@toys",
  ],
  ip: [
    "nezha:魔童闹海|哪吒|哪吒2", "ultraman:奥特曼", "pony:小马宝莉", "pokemon:宝可梦|精灵宝可梦|皮卡丘",
    "sanrio:三丽鸥|库洛米|美乐蒂", "miku:初音未来", "naruto:火影忍者|火影", "onepiece:海贼王|航海王",
    "shinchan:蜡笔小新", "disney:迪士尼", "genshin:原神", "eggy:蛋仔派对", "harrypotter:哈利波特",
    "labubu:Labubu|拉布布", "doraemon:哆啦A梦|机器猫", "chiikawa:chiikawa|吉伊卡哇",
  ],
  function: [
    "slim:显瘦@women", "sunproof:防晒@women,acc", "warm:保暖@women,acc,home", "waterproof:防水@bags,phone,beauty,acc",
    "bigcap:大容量@bags,home,stat,powerbank", "magsafe:磁吸@phone", "shockproof:防摔@phone", "fastcharge:快充@phone",
    "portable:便携@phone,home,beauty,bags", "foldable:可折叠@home,bags,holder", "breathable:透气@women",
    "antiwrinkle:抗皱@women", "longlast:持久|持久不脱色@beauty", "moisture:保湿|补水@beauty", "erasable:可擦@gelpen",
    "glow:夜光@toys,stat,phone",
  ],
  price: [
    "onecny:一元区@cards", "fivecny:五元包@cards", "tencny:十元包@cards",
    "budget:平价", "mid:中档", "high:高端", "lux:轻奢@women,acc,bags,beauty",
  ],
  season: [
    "spring:春季|春款", "summer:夏季|夏款|夏天", "autumn:秋季|秋款", "winter:冬季|冬款|冬天", "springsummer:春夏",
    "autumnwinter:秋冬", "allyear:四季|四季通用", "cny:春节|新年|过年@gift,home,women,acc",
    "school:开学季|开学@stat,bags", "xmas:圣诞|圣诞节@gift,home", "valentine:情人节@gift,acc,beauty",
    "midautumn:中秋@gift",
  ],
  cut: [
    "midi:中长款@dress,skirt,coat,trench,downjacket,cardigan", "short:短款@top,tshirt,downjacket,cardigan,coat,blazer",
    "long:长款@coat,trench,downjacket,dress,skirt", "loose:宽松|oversize@women", "fitted:修身@women",
    "aline:A字@dress,skirt", "highwaist:高腰@skirt,pants,shorts", "puff:泡泡袖@dress,top,shirt,tshirt",
    "cami:吊带@dress,top", "squareneck:方领@dress,top,tshirt", "vneck:V领@dress,top,tshirt,sweater,cardigan",
    "waisted:收腰@dress,coat,blazer,trench", "plus:大码@women", "flash:闪卡@cards", "laser:镭射卡@cards,sleeves",
    "signed:签名卡@cards", "alt:异画卡@cards", "blazing:炽影包@cards", "mini:迷你款|mini@bags,acc,phone,beauty",
  ],
};

/** A leaf category and everything the generator needs to make offers for it. */
export interface LeafDef {
  slug: string;
  name: string;
  noun: string;
  group: Group;
  /** Mid-level parent slug (women only), else undefined. */
  parent?: string;
  /** Other nouns for the same thing, used in titles and search terms. */
  synonyms: string[];
  allows: FactorKey[];
  /** Typical unit price range in CNY. */
  price: [number, number];
  /** Price band value slugs this leaf uses, cheapest first. */
  bands: string[];
  /** Season value slugs typical for the leaf (empty = no season factor). */
  seasons: string[];
  curve: SeasonCurve;
  /** Relative share of offers and of buyers' attention. */
  popularity: number;
}

const APPAREL: FactorKey[] = ["style", "pattern", "color", "material", "function", "price", "season", "cut"];
const STD_BANDS = ["budget", "mid", "high"];
const FASHION_BANDS = ["budget", "mid", "high", "lux"];

function leaf(
  slug: string, name: string, group: Group, parent: string | undefined, synonyms: string[], allows: FactorKey[],
  price: [number, number], seasons: string[], curve: SeasonCurve, popularity: number,
  bands: string[] = STD_BANDS, noun = name,
): LeafDef {
  return { slug, name, noun, group, parent, synonyms, allows, price, bands, seasons, curve, popularity };
}

/** Mid-level women's-wear categories: slug → name. */
const WOMEN_MID: Record<string, string> = { skirts: "裙装", tops: "上装", bottoms: "下装", outer: "外套" };

export const LEAVES: LeafDef[] = [
  leaf("dress", "连衣裙", "women", "skirts", ["裙子", "长裙"], APPAREL, [35, 180], ["summer", "springsummer", "spring"], "summer", 3, FASHION_BANDS),
  leaf("skirt", "半身裙", "women", "skirts", ["百褶裙", "短裙"], APPAREL, [25, 120], ["summer", "springsummer", "autumn"], "summer", 2, FASHION_BANDS),
  leaf("tshirt", "T恤", "women", "tops", ["短袖", "打底衫"], APPAREL, [12, 60], ["summer", "springsummer"], "summer", 2.5, STD_BANDS),
  leaf("shirt", "衬衫", "women", "tops", ["衬衣"], APPAREL, [25, 110], ["spring", "springsummer", "autumn"], "springAutumn", 1.8, FASHION_BANDS),
  leaf("top", "上衣", "women", "tops", ["小衫"], APPAREL, [20, 90], ["summer", "spring", "springsummer"], "summer", 2, FASHION_BANDS),
  leaf("sweater", "毛衣", "women", "tops", ["毛线衫"], APPAREL, [30, 150], ["autumn", "winter", "autumnwinter"], "winter", 1.6, FASHION_BANDS),
  leaf("pants", "阔腿裤", "women", "bottoms", ["裤子", "长裤"], APPAREL, [25, 110], ["allyear", "spring", "autumn"], "flat", 2, STD_BANDS),
  leaf("shorts", "短裤", "women", "bottoms", ["热裤"], APPAREL, [15, 60], ["summer"], "summer", 1, STD_BANDS),
  leaf("trench", "风衣", "women", "outer", ["长外套"], APPAREL, [80, 320], ["spring", "autumn"], "springAutumn", 1, FASHION_BANDS),
  leaf("coat", "大衣", "women", "outer", ["毛呢外套"], APPAREL, [120, 480], ["winter", "autumnwinter"], "winter", 1.3, FASHION_BANDS),
  leaf("downjacket", "羽绒服", "women", "outer", ["面包服"], APPAREL, [150, 520], ["winter"], "winter", 1.2, FASHION_BANDS),
  leaf("blazer", "西装外套", "women", "outer", ["西服"], APPAREL, [70, 260], ["spring", "autumn"], "springAutumn", 1, FASHION_BANDS),
  leaf("cardigan", "开衫", "women", "outer", ["小外套"], APPAREL, [30, 130], ["spring", "autumn", "springsummer"], "springAutumn", 1, FASHION_BANDS),
  leaf("set", "套装", "women", undefined, ["两件套"], APPAREL, [45, 220], ["summer", "spring", "autumn", "cny"], "flat", 1.4, FASHION_BANDS),

  leaf("hairclip", "发夹", "acc", undefined, ["抓夹", "发饰"], ["style", "pattern", "color", "material", "price", "season"], [1.5, 15], ["allyear", "summer", "cny"], "flat", 1.5, FASHION_BANDS),
  leaf("earrings", "耳环", "acc", undefined, ["耳饰", "耳钉"], ["style", "color", "material", "price", "season"], [3, 60], ["allyear", "valentine", "cny"], "flat", 1.4, FASHION_BANDS),
  leaf("necklace", "项链", "acc", undefined, ["锁骨链"], ["style", "color", "material", "price", "season"], [5, 120], ["allyear", "valentine"], "flat", 1.1, FASHION_BANDS),
  leaf("hat", "帽子", "acc", undefined, ["渔夫帽", "遮阳帽"], ["style", "pattern", "color", "material", "function", "price", "season"], [8, 45], ["summer", "winter", "springsummer"], "summer", 1.1, STD_BANDS),
  leaf("scarf", "围巾", "acc", undefined, ["披肩"], ["style", "pattern", "color", "material", "function", "price", "season"], [12, 90], ["winter", "autumnwinter"], "winter", 0.9, FASHION_BANDS),
  leaf("belt", "腰带", "acc", undefined, ["皮带"], ["style", "color", "material", "price"], [6, 60], [], "flat", 0.6, FASHION_BANDS),

  leaf("cards", "卡片", "toys", undefined, ["卡牌", "集换式卡牌"], ["ip", "price", "cut"], [0.9, 11], [], "flat", 2.2, ["onecny", "fivecny", "tencny"]),
  leaf("sleeves", "卡套", "toys", undefined, ["卡膜", "保护套"], ["ip", "color", "material", "price", "cut"], [0.05, 2], [], "flat", 1.2, STD_BANDS),
  leaf("cardbrick", "卡砖", "toys", undefined, ["卡砖盒", "展示盒"], ["ip", "color", "material", "price"], [3, 25], [], "flat", 0.9, STD_BANDS),
  leaf("blindbox", "盲盒", "toys", undefined, ["潮玩盲盒"], ["ip", "style", "material", "price"], [15, 79], [], "festival", 1.6, STD_BANDS),
  leaf("figure", "手办", "toys", undefined, ["摆件", "模型"], ["ip", "style", "material", "price"], [20, 260], [], "flat", 1.1, STD_BANDS),
  leaf("plush", "公仔", "toys", undefined, ["玩偶", "挂件"], ["ip", "style", "color", "material", "price"], [6, 80], [], "festival", 1.3, STD_BANDS),
  leaf("badge", "吧唧", "toys", undefined, ["徽章", "胸章"], ["ip", "style", "material", "price", "function"], [1, 12], [], "flat", 0.9, STD_BANDS),

  leaf("phonecase", "手机壳", "phone", undefined, ["保护壳", "手机套"], ["style", "pattern", "color", "material", "function", "price"], [3, 35], [], "flat", 2.4, STD_BANDS),
  leaf("lanyard", "手机挂绳", "phone", undefined, ["挂链", "手机链"], ["style", "pattern", "color", "material", "price"], [2, 20], [], "flat", 1.1, STD_BANDS),
  leaf("cable", "数据线", "phone", undefined, ["充电线"], ["color", "material", "function", "price"], [3, 30], [], "flat", 1.1, STD_BANDS),
  leaf("powerbank", "充电宝", "phone", undefined, ["移动电源"], ["style", "color", "function", "price"], [30, 150], [], "flat", 1, STD_BANDS),
  leaf("holder", "手机支架", "phone", undefined, ["懒人支架"], ["style", "color", "material", "function", "price"], [3, 40], [], "flat", 0.8, STD_BANDS),
  leaf("screenfilm", "钢化膜", "phone", undefined, ["手机膜"], ["function", "price"], [1, 12], [], "flat", 0.9, STD_BANDS),

  leaf("pillow", "抱枕", "home", undefined, ["靠垫"], ["style", "pattern", "color", "material", "price", "season"], [12, 70], ["allyear", "cny", "xmas"], "flat", 1, STD_BANDS),
  leaf("storage", "收纳盒", "home", undefined, ["收纳箱", "整理盒"], ["style", "color", "material", "function", "price"], [4, 45], [], "flat", 1.2, STD_BANDS),
  leaf("aroma", "香薰", "home", undefined, ["香薰蜡烛", "扩香"], ["style", "color", "material", "price", "season"], [9, 80], ["allyear", "xmas", "cny"], "festival", 0.9, STD_BANDS),
  leaf("mug", "马克杯", "home", undefined, ["杯子", "水杯"], ["style", "pattern", "color", "material", "function", "price", "season"], [6, 45], ["allyear", "xmas", "cny"], "flat", 1.2, STD_BANDS),
  leaf("tablecloth", "桌布", "home", undefined, ["餐垫"], ["style", "pattern", "color", "material", "price", "season"], [8, 55], ["allyear", "cny", "xmas"], "flat", 0.6, STD_BANDS),
  leaf("rug", "地垫", "home", undefined, ["地毯"], ["style", "pattern", "color", "material", "price", "season"], [12, 120], ["allyear", "winter"], "flat", 0.7, STD_BANDS),

  leaf("notebook", "笔记本", "stat", undefined, ["本子", "手账本"], ["style", "pattern", "color", "material", "price", "season"], [2, 25], ["school", "allyear"], "school", 1.3, STD_BANDS),
  leaf("gelpen", "中性笔", "stat", undefined, ["签字笔", "水笔"], ["style", "color", "function", "price", "season"], [0.5, 6], ["school", "allyear"], "school", 1.2, STD_BANDS),
  leaf("stickers", "贴纸", "stat", undefined, ["手账贴纸", "贴画"], ["style", "pattern", "function", "price", "season"], [0.5, 8], ["school", "allyear", "xmas"], "school", 1, STD_BANDS),
  leaf("tape", "和纸胶带", "stat", undefined, ["胶带"], ["style", "pattern", "color", "price"], [1, 12], [], "school", 0.7, STD_BANDS),
  leaf("pencilcase", "笔袋", "stat", undefined, ["文具袋", "笔盒"], ["style", "pattern", "color", "material", "function", "price", "season"], [4, 35], ["school"], "school", 0.9, STD_BANDS),

  leaf("tote", "托特包", "bags", undefined, ["单肩包", "手提包"], ["style", "pattern", "color", "material", "function", "price", "cut"], [18, 160], [], "flat", 1.3, FASHION_BANDS),
  leaf("crossbody", "斜挎包", "bags", undefined, ["小方包"], ["style", "pattern", "color", "material", "function", "price", "cut"], [15, 140], [], "flat", 1.2, FASHION_BANDS),
  leaf("backpack", "双肩包", "bags", undefined, ["书包", "背包"], ["style", "pattern", "color", "material", "function", "price", "season"], [25, 160], ["school", "allyear"], "school", 1.1, STD_BANDS),
  leaf("wallet", "钱包", "bags", undefined, ["卡包", "零钱包"], ["style", "pattern", "color", "material", "price", "cut"], [6, 90], [], "flat", 0.8, FASHION_BANDS),
  leaf("luggage", "行李箱", "bags", undefined, ["拉杆箱", "旅行箱"], ["style", "color", "material", "function", "price"], [90, 420], [], "summer", 0.6, STD_BANDS),

  leaf("lipstick", "口红", "beauty", undefined, ["唇釉", "唇泥"], ["style", "color", "function", "price", "season"], [4, 60], ["allyear", "valentine", "autumnwinter"], "flat", 1.3, FASHION_BANDS),
  leaf("eyeshadow", "眼影", "beauty", undefined, ["眼影盘"], ["style", "color", "function", "price"], [6, 80], [], "flat", 0.9, FASHION_BANDS),
  leaf("mask", "面膜", "beauty", undefined, ["贴片面膜"], ["function", "price", "season"], [1, 12], ["allyear", "summer", "winter"], "flat", 1, STD_BANDS),
  leaf("brush", "化妆刷", "beauty", undefined, ["刷具", "粉扑"], ["style", "color", "material", "function", "price", "cut"], [3, 60], [], "flat", 0.7, STD_BANDS),
  leaf("nails", "美甲贴", "beauty", undefined, ["穿戴甲"], ["style", "pattern", "color", "price", "season"], [2, 25], ["allyear", "valentine", "xmas", "summer"], "flat", 0.9, STD_BANDS),

  leaf("giftbox", "礼盒", "gift", undefined, ["伴手礼", "礼品盒"], ["style", "pattern", "color", "price", "season"], [10, 160], ["cny", "midautumn", "valentine", "xmas"], "festival", 1.2, STD_BANDS),
  leaf("redenvelope", "红包", "gift", undefined, ["利是封"], ["style", "pattern", "color", "price", "season"], [0.3, 5], ["cny"], "festival", 0.9, STD_BANDS),
  leaf("couplet", "春联", "gift", undefined, ["对联", "福字"], ["style", "pattern", "color", "price", "season"], [2, 30], ["cny"], "festival", 0.8, STD_BANDS),
  leaf("ornament", "节日挂饰", "gift", undefined, ["挂饰", "装饰挂件"], ["style", "color", "price", "season"], [2, 40], ["xmas", "cny", "midautumn"], "festival", 0.7, STD_BANDS, "挂饰"),
  leaf("balloon", "气球", "gift", undefined, ["派对气球"], ["style", "color", "price", "season"], [0.2, 6], ["allyear", "valentine", "xmas"], "flat", 0.6, STD_BANDS),
];

/** Cross-category pairs (from → to, strength 0..1): what buyers of `from` tend to add next. */
export const CROSS_PAIRS: Array<[string, string, number]> = [
  ["tshirt", "skirt", 0.8], ["tshirt", "pants", 0.7], ["top", "skirt", 0.9], ["top", "pants", 0.8],
  ["shirt", "skirt", 0.7], ["shirt", "pants", 0.7], ["sweater", "skirt", 0.5], ["blazer", "pants", 0.6],
  ["dress", "cardigan", 0.6], ["dress", "hairclip", 0.5], ["dress", "earrings", 0.4], ["coat", "scarf", 0.7],
  ["downjacket", "scarf", 0.6], ["cards", "sleeves", 0.95], ["cards", "cardbrick", 0.8], ["sleeves", "cardbrick", 0.6],
  ["blindbox", "plush", 0.5], ["blindbox", "badge", 0.5], ["phonecase", "lanyard", 0.9], ["phonecase", "screenfilm", 0.8],
  ["phonecase", "holder", 0.4], ["notebook", "tape", 0.7], ["notebook", "gelpen", 0.6], ["stickers", "tape", 0.8],
  ["lipstick", "brush", 0.5], ["eyeshadow", "brush", 0.7], ["giftbox", "redenvelope", 0.6], ["couplet", "redenvelope", 0.9],
  ["mug", "aroma", 0.4], ["tote", "wallet", 0.5], ["hairclip", "earrings", 0.4], ["backpack", "pencilcase", 0.6],
];

/** Words that may appear in titles without naming any value (verified by a unit test). */
export const TITLE_FILLERS: Record<Group, string[]> = {
  women: ["女", "气质", "洋气", "百搭", "高级感", "小众设计", "网红同款", "减龄", "仙女", "时尚", "显高", "休闲", "温柔"],
  acc: ["女", "气质", "百搭", "高级感", "小众设计", "网红同款", "精致", "韩国", "时尚"],
  toys: ["正版", "收藏", "周边", "整盒", "动漫", "官方授权", "盒装", "礼物", "新品"],
  phone: ["适用苹果16", "适用iPhone15", "华为", "小米", "全包", "情侣", "创意", "男女"],
  home: ["家用", "北欧", "客厅", "卧室", "宿舍", "创意", "网红", "高颜值"],
  stat: ["学生", "高颜值", "办公", "创意", "小清新", "套装", "礼物"],
  bags: ["女", "百搭", "大学生", "上班", "高级感", "小众设计", "网红同款"],
  beauty: ["学生党", "显白", "不沾杯", "新手", "正品", "小样"],
  gift: ["创意", "定制", "企业", "高档", "节日", "送客户", "伴手"],
};

/** Title prefixes and suffixes common to every group. */
export const TITLE_PREFIXES = ["2025新款", "2025年新款", "新款", "爆款", "ins爆款", "跨境热销"];
export const TITLE_SUFFIXES = ["批发", "厂家直销", "一件代发", "现货批发", "源头工厂", "跨境外贸", "货源", "工厂批发"];

function parseValue(factor: FactorKey, spec: ValueSpec): ValueRecord & { scope: string[] } {
  const [main, scopeText] = spec.split("@");
  const [slug, names] = main.split(":");
  const [name, ...aliases] = names.split("|");
  return {
    id: `v-${factor}-${slug}`,
    factor: FACTORS[factor],
    name,
    aliases,
    scope: scopeText ? scopeText.split(",") : [],
  };
}

/** A value with its scope (groups or leaf slugs it may appear in; empty = anywhere its factor is allowed). */
export type CatalogValue = ValueRecord & { scope: string[]; factorKey: FactorKey; slug: string };

/** A leaf category as the buyer, behaviour and corpus simulations see it (generated or real). */
export interface WorldLeaf {
  slug: string;
  name: string;
  noun: string;
  /** Top-level group (generated: a `Group`; real: the top-level category id). */
  group: string;
  /** Other nouns for the same thing, used in search terms. */
  synonyms: string[];
  /** Typical unit price range in CNY. */
  price: [number, number];
  curve: SeasonCurve;
  /** Relative share of buyers' attention. */
  popularity: number;
}

/** A value as the simulations see it: its factor key (a generated key, or the factor name of a real catalog). */
export type WorldValue = ValueRecord & { scope: string[]; factorKey: string; slug: string };

/**
 * What buyers (`buyers.ts`), behaviour (`behavior.ts`) and the trend corpus (`corpus.ts`) need of a
 * catalog: the generated one (`buildCatalog`) or a real one with an induced vocabulary
 * (`real-catalog.ts`).
 */
export interface WorldCatalog {
  categories: CategoryRecord[];
  factors: FactorRecord[];
  values: WorldValue[];
  leaves: WorldLeaf[];
  valueById: Map<string, WorldValue>;
  leafBySlug: Map<string, WorldLeaf>;
  /** Values a leaf may carry, per factor key. */
  leafValues: Map<string, Map<string, WorldValue[]>>;
  /** Category id of a leaf slug. */
  categoryId: (slug: string) => string;
  /** Leaf slug of a category id. */
  slugOf: (categoryId: string) => string;
  /** Cross pairs as category ids. */
  pairs: Array<{ from: string; to: string; strength: number }>;
  /** Category name aliases for mention matching (id → other nouns). */
  categoryAliases: Map<string, string[]>;
  /** Factor keys buyers hold preferences over, in draw order. */
  factorKeys: readonly string[];
  /** The factor name of a key. */
  factorName: (key: string) => string;
  /** Key of the price-band factor (preferences follow the buyer type's bands), or null. */
  priceKey: string | null;
  /** Key of the season factor (no preference is drawn over it), or null. */
  seasonKey: string | null;
  /** Factor keys a buyer's recent drift is drawn from, in order. */
  driftKeys: readonly string[];
  /** Factor keys a potential interest's values are drawn from, in order. */
  potentialKeys: readonly string[];
  /** A buyer type's group weights over this catalog's groups. */
  groupAffinity: (typeGroups: Readonly<Partial<Record<string, number>>>) => Partial<Record<string, number>>;
}

/** The assembled generated catalog: records for the files plus lookup tables for the generator. */
export interface Catalog extends WorldCatalog {
  values: CatalogValue[];
  leaves: LeafDef[];
  valueById: Map<string, CatalogValue>;
  leafBySlug: Map<string, LeafDef>;
  leafValues: Map<string, Map<FactorKey, CatalogValue[]>>;
}

export const categoryIdOf = (slug: string): string => `c-${slug}`;


/** Builds the catalog (pure; no randomness). */
export function buildCatalog(): Catalog {
  const values: CatalogValue[] = [];
  for (const key of Object.keys(FACTORS) as FactorKey[]) {
    for (const spec of VALUE_SPECS[key]) {
      const v = parseValue(key, spec);
      values.push({ ...v, factorKey: key, slug: v.id.slice(`v-${key}-`.length) });
    }
  }
  const categories: CategoryRecord[] = [];
  for (const g of GROUPS) {
    categories.push({ id: categoryIdOf(g), name: GROUP_NAMES[g], parentId: null, level: 1, noun: GROUP_NAMES[g], allows: [] });
    if (g === "women") {
      for (const [slug, name] of Object.entries(WOMEN_MID)) {
        categories.push({ id: categoryIdOf(slug), name, parentId: categoryIdOf(g), level: 2, noun: name, allows: [] });
      }
    }
  }
  const categoryAliases = new Map<string, string[]>();
  for (const l of LEAVES) {
    const parentId = l.parent ? categoryIdOf(l.parent) : categoryIdOf(l.group);
    categories.push({
      id: categoryIdOf(l.slug),
      name: l.name,
      parentId,
      level: l.parent ? 3 : 2,
      noun: l.noun,
      allows: l.allows.map((k) => FACTORS[k]),
    });
    categoryAliases.set(categoryIdOf(l.slug), l.synonyms);
  }
  const leafValues = new Map<string, Map<FactorKey, CatalogValue[]>>();
  for (const l of LEAVES) {
    const perFactor = new Map<FactorKey, CatalogValue[]>();
    for (const key of l.allows) {
      let vs = values.filter((v) => v.factorKey === key && (v.scope.length === 0 || v.scope.includes(l.group) || v.scope.includes(l.slug)));
      if (key === "price") vs = l.bands.map((b) => values.find((v) => v.id === `v-price-${b}`)!);
      if (key === "season") vs = l.seasons.map((s) => values.find((v) => v.id === `v-season-${s}`)!);
      if (vs.length > 0) perFactor.set(key, vs);
    }
    leafValues.set(l.slug, perFactor);
  }
  return {
    categories,
    factors: (Object.values(FACTORS) as string[]).map((name) => ({ name })),
    values,
    leaves: LEAVES,
    valueById: new Map(values.map((v) => [v.id, v])),
    leafBySlug: new Map(LEAVES.map((l) => [l.slug, l])),
    leafValues,
    categoryId: categoryIdOf,
    slugOf: (categoryId) => categoryId.slice(2),
    factorKeys: Object.keys(FACTORS) as FactorKey[],
    factorName: (key) => FACTORS[key as FactorKey],
    priceKey: "price",
    seasonKey: "season",
    driftKeys: ["style", "pattern", "color", "ip"],
    potentialKeys: ["style", "ip", "pattern", "color"],
    groupAffinity: (typeGroups) => typeGroups,
    pairs: CROSS_PAIRS.map(([from, to, strength]) => ({ from: categoryIdOf(from), to: categoryIdOf(to), strength })),
    categoryAliases,
  };
}

/** A value record as written to `values.jsonl` (drops the generator-only fields). */
export function toValueRecord(v: CatalogValue): ValueRecord {
  return { id: v.id, factor: v.factor, name: v.name, aliases: v.aliases };
}
