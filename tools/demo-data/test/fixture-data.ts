import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { BEAUTY_FILES } from '../src/sources/amazon-beauty.source';
import { CHINESE_FILE } from '../src/sources/chinese-shopping.source';
import { RETAIL_FILE } from '../src/sources/online-retail.source';
import { REES46_FILE } from '../src/sources/rees46-events.source';
import { CLOTHING_FILE } from '../src/sources/womens-clothing.source';

/**
 * A few rows of every data set in its real format (taken from or shaped like the shared files),
 * covering the cases the linking rules treat specially.
 */
export const FIXTURE_FILES: Readonly<Record<string, string>> = {
  [BEAUTY_FILES.titles]: [
    'item_id\tasin\ttitle',
    '1\tB004756YJA\tOPI Nail Lacquer, Simmer and Shimmer, 0.5-Fluid Ounce',
    '2\tB004ZT0SSG\tOPI Red Shatter Crackle Nail Polish E55 New',
    '3\tB0020YLEYK\tSKIN79 The Prestige Beblesh Balm BB Cream Diamond Collection &#9733;',
    '4\t7806397051\tWAWO 15 Color Professionl Makeup Eyeshadow Camouflage Facial Concealer Neutral Palette',
    '5\tB000ODM538\tThe Body Shop Bath Lily, Coral Pink',
    '6\tB000GZES7A\t',
    '',
  ].join('\n'),
  [BEAUTY_FILES.attributes]: JSON.stringify({ '1': [37, 17, 28, 29], '2': [37, 17, 28, 30], '3': [13, 4, 14], '4': [52, 17, 2], '5': [61, 8, 60], '6': [99] }),
  [BEAUTY_FILES.sequences]: '1 1 2 3\n2 4 1 5 6\n3 2 5\n',
  [RETAIL_FILE]: [
    'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country',
    '536367,84879,ASSORTED COLOUR BIRD ORNAMENT,32,2010-12-01 08:34:00,1.69,13047.0,United Kingdom',
    "536367,22745,POPPY'S PLAYHOUSE BEDROOM ,6,2010-12-01 08:34:00,2.1,13047.0,United Kingdom",
    '536367,POST,POSTAGE,1,2010-12-01 08:34:00,18,13047.0,United Kingdom',
    '536370,84879,ASSORTED COLOUR BIRD ORNAMENT,8,2010-12-01 08:45:00,1.69,12583.0,France',
    '536370,84879,ASSORTED COLOR BIRD ORNAMENT,160,2010-12-01 08:45:00,1.45,12583.0,France',
    'C536379,22745,"POPPY\'S PLAYHOUSE BEDROOM",-2,2010-12-01 09:41:00,2.1,12583.0,France',
    '',
  ].join('\n'),
  [REES46_FILE]: [
    'event_time,event_type,product_id,category_id,category_code,brand,price,user_id,user_session',
    '2019-10-01 00:00:00 UTC,view,44600062,2103807459595387724,,shiseido,35.79,541312140,72d76fde-8bb3-4e00-8c23-a032dfed738c',
    '2019-10-01 00:00:00 UTC,view,3900821,2053013552326770905,appliances.environment.water_heater,aqua,33.20,554748717,9333dfbd-b87a-4708-9857-6336556b0fcc',
    '2019-10-01 00:00:01 UTC,view,17200506,2053013559792632471,furniture.living_room.sofa,,543.10,519107250,566511c2-e2e3-422b-b695-cf8e6e792ca8',
    '2019-10-01 00:00:01 UTC,view,17200506,2053013559792632471,furniture.living_room.sofa,,543.10,519107250,566511c2-e2e3-422b-b695-cf8e6e792ca8',
    '2019-10-01 00:05:10 UTC,cart,3900821,2053013552326770905,appliances.environment.water_heater,aqua,33.20,554748717,9333dfbd-b87a-4708-9857-6336556b0fcc',
    '2019-10-01 00:05:14 UTC,purchase,3900821,2053013552326770905,appliances.environment.water_heater,aqua,33.20,554748717,9333dfbd-b87a-4708-9857-6336556b0fcc',
    '',
  ].join('\n'),
  [CLOTHING_FILE]: [
    ',Clothing ID,Age,Title,Review Text,Rating,Recommended IND,Positive Feedback Count,Division Name,Department Name,Class Name',
    '0,767,33,,Absolutely wonderful - silky and sexy and comfortable,4,1,0,Initmates,Intimate,Intimates',
    '2,1077,60,Some major design flaws,"I had such high hopes for this dress, really.\r\nBut ""no"".",3,0,0,General,Dresses,Dresses',
    '5,1077,49,Not for the very petite,"I love tracy reese dresses, but this one is not for the very petite.",2,0,4,General Petite,Dresses,Dresses',
    '7,858,39,,,5,1,0,General,Tops,Knits',
    '',
  ].join('\n'),
  [CHINESE_FILE]: [
    'cat,label,review',
    '书籍,1,\ufeff做父母一定要有刘墉这样的心态，不断地学习，不断地进步。',
    '书籍,1,作者长篇大论借用详细报告数据处理工作和计算结果支持其新观点。',
    '书籍,0,"印刷很差，\n纸张也薄"',
    '酒店,1,干净，服务好',
    '酒店,1,干净，服务好',
    '',
  ].join('\n'),
};

/** Writes the fixture files under `dir` in the shared-data layout. */
export async function writeFixtureDataDir(dir: string): Promise<void> {
  for (const [file, text] of Object.entries(FIXTURE_FILES)) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await writeFile(join(dir, file), text, 'utf8');
  }
}
