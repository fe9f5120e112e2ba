export const ASPECT_NAMES = ['quality', 'size_fit', 'logistics', 'price', 'service', 'packaging', 'appearance', 'comfort', 'taste', 'performance'] as const;

/** What a praise or complaint is about. */
export type AspectName = (typeof ASPECT_NAMES)[number];

export interface AspectTerms {
  /**
   * Chinese terms. Two or more characters: matched as substrings of the clause, so a term jieba
   * cuts in two (送餐 → 送/餐, 偏小 → 偏/小) still matches. One character: matched only as a whole
   * jieba word, so 码 matches 38码 but not 密码.
   */
  zh: readonly string[];
  /** English words or phrases, matched on normalised words (plural 's' stripped; see `normaliseEnglish`). */
  en: readonly string[];
}

const zh = (terms: string): string[] => terms.trim().split(/\s+/u);
const en = (terms: string): string[] => terms.trim().split(/\s*,\s*/u);

/**
 * Bilingual aspect lexicon. Scope of each aspect (the fixture is labelled by the same rules):
 *
 * - quality: material, workmanship, durability, defects, genuine or fake (面料, 做工, 起球, 假货; fabric, stitching, pilling).
 * - size_fit: size, cut and fit of clothes and a product's physical size (尺码, 偏小, 版型, 个头; runs small, true to size).
 * - logistics: shipping and delivery, their speed, the courier, shipping cost (物流, 送餐, 快递小哥; shipping, arrived late).
 * - price: price and value for money, discounts (价格, 性价比, 降价; price, worth, on sale).
 * - service: seller and customer service, attitude, returns and refunds handling, hotel staff (客服, 态度, 售后; customer service, staff).
 * - packaging: boxes, bags, wrapping and spills in transit (包装, 餐盒, 洒了; packaging, box).
 * - appearance: colour, style, design, looks, and likeness to the pictures (颜色, 款式, 色差, 和图片不符; color, flattering).
 * - comfort: how it feels to wear or hold (舒服, 透气, 扎, 手感; comfortable, soft, itchy).
 * - taste: food taste, freshness, temperature and portion, including fruit (味道, 新鲜, 凉了, 烂的; the taste, stale, salty).
 * - performance: devices and appliances: battery, speed, screen, system, heat, noise (电池, 死机, 散热; battery, screen, lag).
 *
 * Left out on purpose, because they point to several aspects: 速度 (delivery or a laptop's speed),
 * 效果 (any effect), bare 大/小 and 太大 (差距太大 is about the pictures), colour names (black lining),
 * return/returned in English (usually about fit), cold (weather or food), sweet (a sweet top).
 * English words that clothing reviews use in another sense count only inside a phrase that settles
 * it: arrive/arrived/arrival, ship/shipped, deliver/delivered and mail narrate a parcel ("when it
 * arrived it was huge", "had to ship it back", "received it in the mail"), so only their speed
 * phrases count (arrived late, took two weeks to arrive); ups is mostly button ups; on time also
 * matches "on 3 times" once digits drop. taste is mostly "for my taste", portion a part of a
 * garment ("upper portion"), fresh/bland/yummy/delicious describe looks and fabric, so taste keeps
 * food-only words and phrases (the taste, taste like, portion size).
 * English 'cheap' counts as quality: in these reviews it means cheap-looking; 'inexpensive' is price.
 */
export const ASPECT_LEXICON: Readonly<Record<AspectName, AspectTerms>> = {
  quality: {
    zh: zh(`
      质量 品质 做工 工艺 材质 面料 用料 布料 料子 质地 质感 正品 假货 假的 次品 残次品 瑕疵 线头 开线 脱线 开裂 裂缝
      掉色 褪色 掉漆 起球 缩水 变形 破洞 破了 破的 坏了 坏掉 坏的 结实 耐穿 耐用 牢固 粗糙 劣质 精细 精致 异味 刺鼻 甲醛
      划痕 刮花 毛病 故障 返修 做工精细 质量问题 真假 货真价实 破`),
    en: en(`
      quality, fabric, material, construction, stitching, stitch, stitches, seam, sewn, sewing, thread, durable, durability,
      flimsy, sturdy, cheap, cheaply, well made, poorly made, cheaply made, pill, pilled, pilling, hole, tear, torn, ripped,
      rip, snag, snagged, fray, frayed, fraying, unravel, unraveling, shrink, shrank, shrunk, fade, faded, fading, defect,
      defective, flaw, flawed, broke, broken, lining, zipper, workmanship, craftsmanship, thin, sheer, see through, see thru,
      cotton, linen, silk, polyester, wool, rayon, cashmere, denim, fall apart, fell apart, falling apart, falling off,
      fell off, stain, stained, leaking, wrinkle, wrinkled, washes, washed, will last, last long, fake, counterfeit`),
  },
  size_fit: {
    zh: zh(`
      尺码 尺寸 码数 码子 大小 偏大 偏小 偏长 偏短 偏瘦 偏肥 有点大 有点小 稍大 稍小 大了点 小了点 买大了 买小了 大一码 小一码
      大一号 小一号 合身 宽松 修身 紧身 版型 腰围 肩宽 袖长 裤长 衣长 胸围 臀围 长度 太小 太短 太长 太紧 太松 太肥 个头 个儿
      码 紧 肥`),
    en: en(`
      size, sizing, sized, fit, fitting, fitted, run small, run large, run big, run short, run long, run narrow, run wide,
      true to size, small, large, big, tight, loose, snug, petite, length, long, short, xs, xl, medium, roomy, boxy, baggy,
      oversized, huge, tiny, shorter, longer, bigger, smaller, larger, tighter, looser, waist, bust, hip, inseam, torso,
      shoulder, chest, sleeve, size up, size down, ill fitting`),
  },
  logistics: {
    zh: zh(`
      物流 快递 发货 送货 到货 收货 配送 送餐 送达 送到 送来 派送 运输 邮寄 顺丰 快递员 小哥 骑手 送货员 送餐员 配送员 外卖员
      准时 按时 超时 迟到 晚到 等了 太慢 催单 货到 次日达 当天到 隔天到 第二天就到 运费 包邮`),
    en: en(`
      shipping, delivery, courier, transit, delayed, delay, postage, fedex, usps, free ship, tracking number,
      lost in the mail, arrived late, arrived early, arrived quickly, arrived fast, arrived promptly, arrived on time,
      delivered late, delivered quickly, delivered fast, delivered on time, shipped late, shipped quickly, shipped fast,
      shipped promptly, day to arrive, week to arrive, month to arrive, forever to arrive, long to arrive, slow to arrive`),
  },
  price: {
    zh: zh(`
      价格 价钱 价位 性价比 便宜 实惠 划算 合算 物美价廉 价廉 超值 不值 值这个价 值了 优惠 降价 涨价 打折 折扣 原价 差价
      保价 省钱 贵了 太贵 偏贵 有点贵 这个价 这个钱 块钱 价 贵`),
    en: en(`
      price, priced, pricey, pricy, expensive, inexpensive, cost, costly, value, worth, money, sale, bargain, deal,
      discount, discounted, overpriced, affordable, full price, cheaper, dollar, splurge, steal`),
  },
  service: {
    zh: zh(`
      服务 客服 态度 卖家 商家 店家 老板 掌柜 售后 退货 退款 换货 退换 回复 解释 沟通 服务员 前台 热情 耐心 投诉 赔付 赔偿
      补发 挂电话 不理人 解答 处理问题 退钱`),
    en: en(`
      service, customer service, staff, seller, associate, sales associate, clerk, refund, refunded, exchange, exchanged,
      rude, helpful, representative, customer care, responded, response`),
  },
  packaging: {
    zh: zh(`
      包装 外包装 包装盒 包装袋 盒子 箱子 纸箱 袋子 餐盒 饭盒 打包 封口 密封 泡沫 漏了 洒了 撒了 洒出 漏出 压坏 压扁 破损 吸管
      餐具 洒 漏 盒`),
    en: en(`packaging, package, packaged, box, boxed, wrapped, wrapping, envelope, crushed, spilled, leaked`),
  },
  appearance: {
    zh: zh(`
      颜色 颜值 外观 外形 款式 样式 式样 好看 漂亮 美观 难看 色差 图片 实物 照片 描述不符 设计 图案 花色 花纹 色彩 时尚 洋气
      大气 土气 显瘦 显胖 显白 显黑 上身 样子 造型 风格 百搭 酷 丑 色 款`),
    en: en(`
      color, colour, style, styling, stylish, look, looking, design, designed, pattern, print, printed, cute, pretty,
      beautiful, gorgeous, flattering, unflattering, adorable, elegant, chic, ugly, shade, hue, vibrant, bright, picture,
      pictured, photo, shown, model, image, detail, embroidery, silhouette, neckline, stripe, striped, floral, feminine,
      sexy, classy, frumpy, dowdy, compliment, wash me out, wash out, dark, slimming`),
  },
  comfort: {
    zh: zh(`
      舒服 舒适 透气 柔软 软软 闷热 扎人 磨脚 勒 硌 暖和 保暖 凉快 亲肤 手感 弹性 贴身 头痒 刺痒 瘙痒 闷 扎 痒 软 硬`),
    en: en(`
      comfortable, comfy, comfort, uncomfortable, soft, softest, itchy, itch, scratchy, cozy, cosy, breathable, warm,
      warmth, stiff, irritating, stretchy, stretch, airy, lightweight, supple, heavy`),
  },
  taste: {
    zh: zh(`
      味道 口味 口感 好吃 难吃 好喝 难喝 新鲜 鲜美 美味 油腻 清淡 够味 入味 没味 无味 变质 腐烂 烂了 烂的 坏果 清脆 多汁 水分
      爽口 凉了 凉的 冷了 份量 分量 量少 菜品 饭菜 食材 拉肚子 香甜 酸甜 涩 香 甜 咸 淡 辣 酸 苦 腥 馊 脆 嫩 凉`),
    en: en(`
      tasty, tasted, flavor, flavour, flavorful, freshness, stale, salty, spicy, sour, bitter, greasy, oily,
      soggy, rotten, moldy, juicy, crispy, crunchy, food, meal, the taste, taste good, taste great, taste bad, taste like,
      taste bland, bland food, not fresh, fresh fruit, portion size, generous portion`),
  },
  performance: {
    zh: zh(`
      电池 续航 待机 耗电 用电 充电 电量 性能 运行 卡顿 死机 重启 关机 开机 反应 流畅 运行速度 反应速度 处理器 配置 内存 硬盘
      显卡 散热 发热 发烫 风扇 噪音 信号 屏幕 显示屏 显示效果 分辨率 像素 摄像头 拍照 相机 音质 音效 声音 系统 软件 驱动 蓝牙 无线 键盘
      触控板 输入法 铃声 听筒 加热 水温 功率 功能 卡 屏`),
    en: en(`
      battery, charge, charging, charger, performance, speed, processor, cpu, memory, ram, screen, display, camera, signal,
      lag, laggy, crash, freeze, frozen, sound, app, software, wifi, bluetooth, keyboard, noise, noisy, overheat,
      overheating, driver, system`),
  },
};
