/**
 * Chinese words that carry no topic in a review: particles, pronouns, conjunctions, degree and
 * negation adverbs, auxiliary verbs, and shopping boilerplate that appears in every category
 * (东西, 收到, 购买, 京东, 宝贝…). Chosen from the most frequent jieba words of the shopping and
 * waimai corpora. Negators and degree words are dropped here only; the polarity rules read them
 * from the unfiltered words.
 */
export const ZH_STOPWORDS: ReadonlySet<string> = new Set(
  (
    '的 了 是 也 很 都 就 还 我 你 他 她 它 这 那 在 和 与 及 或 而 并 又 再 才 被 把 让 给 对 从 跟 向 ' +
    '着 过 得 地 之 吗 呢 吧 啊 呀 哦 啦 嘛 哈 么 哎 嗯 额 呵呵 哈哈 ' +
    '我们 你们 他们 她们 自己 大家 咱们 人家 您 ' +
    '这个 那个 这些 那些 这样 那样 这么 那么 这种 那种 这次 这里 那里 这家 哪个 什么 怎么 怎么样 为什么 ' +
    '一个 一些 一点 一下 一次 一样 一直 一起 一定 一般般 两个 几个 几天 每次 有些 有点 有的 ' +
    '可以 可能 应该 需要 能够 不能 不会 不要 不是 没有 没什么 不了 不到 只能 只有 不想 ' +
    '非常 特别 比较 真的 真是 实在 确实 已经 还是 还有 而且 但是 但 可是 不过 就是 只是 然后 所以 因为 ' +
    '如果 虽然 其实 其他 另外 然而 或者 以及 还要 以后 以前 之前 之后 后来 现在 今天 昨天 时候 ' +
    '的话 来说 对于 关于 起来 出来 上来 下来 觉得 感觉 认为 知道 发现 看到 看看 希望 还好 ' +
    '东西 商品 宝贝 产品 购买 购物 收到 拿到 买 用 有 说 看 要 去 来 到 上 下 中 里 后 前 ' +
    '京东 淘宝 卖 网购 下单 订单 评价 评论 好评 差评 总体 总的来说 整体 ' +
    '太 挺 蛮 超 超级 相当 十分 更 最 较 好像 似乎 简直 居然 竟然 根本 完全 绝对 本来 ' +
    '不 没 无 别 未 非 个 次 件 只 些 点 种'
  ).split(/\s+/),
);

/**
 * Single Han characters kept as tokens. Most one-character jieba words are function words or
 * fragments; these are the ones that name a product attribute on their own in reviews (尺码偏小 is
 * cut 尺码/偏/小, 饭菜都凉了 leaves 凉). Generic evaluatives such as 好 and 差 are left out because they
 * say nothing about what the review is about.
 */
export const ZH_CONTENT_CHARS: ReadonlySet<string> = new Set(
  (
    '大 小 长 短 宽 窄 厚 薄 紧 松 肥 瘦 轻 重 软 硬 贵 慢 快 ' +
    '香 甜 咸 淡 辣 酸 苦 涩 脆 嫩 腥 臭 馊 油 腻 凉 冷 热 烫 鲜 烂 ' +
    '破 脏 旧 假 亮 暗 透 潮 闷 扎 痒 吵 卡 ' +
    '码 色 味 菜 饭 汤 肉 粥 面 饼 鱼 虾 蛋 茶 奶 水 屏 鞋 裙 书'
  ).split(/\s+/),
);

/**
 * English stopwords: the usual closed-class list plus contractions (apostrophe forms) and a few
 * review fillers (really, also, would, get, got, like, number words, took, time). Matched against normalised words, so
 * plural forms (others, ones) are covered by their singular.
 */
export const EN_STOPWORDS: ReadonlySet<string> = new Set(
  (
    "a about above after again against all am an and any are aren't as at be because been before being below " +
    "between both but by can can't cannot could couldn't did didn't do does doesn't doing don't down during each " +
    "few for from further had hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself " +
    "him himself his how how's i i'd i'll i'm i've if in into is isn't it it's its itself let's me more most " +
    "mustn't my myself no nor not of off on once only or other others ought our ours ourselves out over own same " +
    "shan't she she'd she'll she's should shouldn't so some such than that that's the their theirs them themselves " +
    "then there there's these they they'd they'll they're they've this those through to too under until up very " +
    "was wasn't we we'd we'll we're we've were weren't what what's when when's where where's which while who who's " +
    "whom why why's with won't would wouldn't you you'd you'll you're you've your yours yourself yourselves " +
    'also just really even still much many lot bit get got gets getting one ones like would could will shall may ' +
    'might must yet though however although since via per etc im ive dont didnt doesnt isnt wasnt cant wont ' +
    'two three four five six seven eight nine ten first second third going took take taking time yesterday today'
  ).split(/\s+/),
);
