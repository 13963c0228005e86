/**
 * Industry division (GB/T 4754 国民经济行业分类 大类) → industry risk class (行业风险类别), the
 * provincial table after 人社部发〔2015〕71号 (工伤保险行业风险分类表).
 *
 * 71号 lists divisions of the 2011 edition. GB/T 4754-2017 inserted division 79 土地管理业, so
 * every 2011 division from 79 up sits one number higher in 2017 (79 居民服务业 → 80 …
 * 96 国际组织 → 97); below 79 the numbers are the same. The 2017 table is the 2011 one renumbered,
 * plus amendments of its own, so the province can change one edition without touching the other.
 *
 * Provincial decisions still open (kept visible rather than guessed):
 * - 2017 division 79 土地管理业 has no class in 71号: null here, so it is refused `code.unmapped`
 *   until the province assigns one.
 * - 2017 re-cut division 58/59: 2011 58 装卸搬运和运输代理业 (class 5) and 59 仓储业 (class 2)
 *   became 2017 58 多式联运和运输代理业 and 59 装卸搬运和仓储业; the classes follow the numbers.
 */
import type { RiskClass } from './enumerations';

export type IndustryEdition = 2011 | 2017;

/** Keyed by the two-digit division code. */
export type IndustryRiskTable = Readonly<Record<string, RiskClass | null>>;

const EDITION_2011: IndustryRiskTable = {
  '01': '4', // 农业
  '02': '5', // 林业
  '03': '4', // 畜牧业
  '04': '6', // 渔业
  '05': '4', // 农、林、牧、渔服务业
  '06': '8', // 煤炭开采和洗选业
  '07': '7', // 石油和天然气开采业
  '08': '8', // 黑色金属矿采选业
  '09': '8', // 有色金属矿采选业
  '10': '8', // 非金属矿采选业
  '11': '5', // 开采辅助活动
  '12': '7', // 其他采矿业
  '13': '3', // 农副食品加工业
  '14': '3', // 食品制造业
  '15': '3', // 酒、饮料和精制茶制造业
  '16': '3', // 烟草制品业
  '17': '3', // 纺织业
  '18': '4', // 纺织服装、服饰业
  '19': '4', // 皮革、毛皮、羽毛及其制品和制鞋业
  '20': '3', // 木材加工和木、竹、藤、棕、草制品业
  '21': '5', // 家具制造业
  '22': '5', // 造纸和纸制品业
  '23': '4', // 印刷和记录媒介复制业
  '24': '3', // 文教、工美、体育和娱乐用品制造业
  '25': '7', // 石油加工、炼焦和核燃料加工业
  '26': '6', // 化学原料和化学制品制造业
  '27': '4', // 医药制造业
  '28': '4', // 化学纤维制造业
  '29': '4', // 橡胶和塑料制品业
  '30': '6', // 非金属矿物制品业
  '31': '6', // 黑色金属冶炼和压延加工业
  '32': '6', // 有色金属冶炼和压延加工业
  '33': '4', // 金属制品业
  '34': '4', // 通用设备制造业
  '35': '4', // 专用设备制造业
  '36': '4', // 汽车制造业
  '37': '4', // 铁路、船舶、航空航天和其他运输设备制造业
  '38': '4', // 电气机械和器材制造业
  '39': '3', // 计算机、通信和其他电子设备制造业
  '40': '3', // 仪器仪表制造业
  '41': '3', // 其他制造业
  '42': '4', // 废弃资源综合利用业
  '43': '4', // 金属制品、机械和设备修理业
  '44': '4', // 电力、热力生产和供应业
  '45': '4', // 燃气生产和供应业
  '46': '3', // 水的生产和供应业
  '47': '6', // 房屋建筑业
  '48': '6', // 土木工程建筑业
  '49': '5', // 建筑安装业
  '50': '5', // 建筑装饰和其他建筑业
  '51': '2', // 批发业
  '52': '2', // 零售业
  '53': '4', // 铁路运输业
  '54': '5', // 道路运输业
  '55': '5', // 水上运输业
  '56': '4', // 航空运输业
  '57': '4', // 管道运输业
  '58': '5', // 装卸搬运和运输代理业
  '59': '2', // 仓储业
  '60': '2', // 邮政业
  '61': '2', // 住宿业
  '62': '2', // 餐饮业
  '63': '2', // 电信、广播电视和卫星传输服务
  '64': '2', // 互联网和相关服务
  '65': '1', // 软件和信息技术服务业
  '66': '1', // 货币金融服务
  '67': '1', // 资本市场服务
  '68': '1', // 保险业
  '69': '1', // 其他金融业
  '70': '2', // 房地产业
  '71': '2', // 租赁业
  '72': '2', // 商务服务业
  '73': '2', // 研究和试验发展
  '74': '2', // 专业技术服务业
  '75': '1', // 科技推广和应用服务业
  '76': '3', // 水利管理业
  '77': '3', // 生态保护和环境治理业
  '78': '3', // 公共设施管理业
  '79': '2', // 居民服务业
  '80': '3', // 机动车、电子产品和日用产品修理业
  '81': '2', // 其他服务业
  '82': '2', // 教育
  '83': '2', // 卫生
  '84': '1', // 社会工作
  '85': '2', // 新闻和出版业
  '86': '1', // 广播、电视、电影和影视录音制作业
  '87': '2', // 文化艺术业
  '88': '4', // 体育
  '89': '3', // 娱乐业
  '90': '1', // 中国共产党机关
  '91': '1', // 国家机构
  '92': '1', // 人民政协、民主党派
  '93': '1', // 社会保障
  '94': '1', // 群众团体、社会团体和其他成员组织
  '95': '1', // 基层群众自治组织
  '96': '1', // 国际组织
};

/**
 * GB/T 4754-2017: the 2011 table renumbered (division d ≥ 79 becomes d + 1), then the provincial
 * amendments for this edition. Renamed divisions keep their class: 11 开采专业及辅助性活动,
 * 58 多式联运和运输代理业, 59 装卸搬运和仓储业, 87 广播、电视、电影和录音制作业,
 * 96 基层群众自治组织及其他组织.
 */
const AMENDMENTS_2017: IndustryRiskTable = {
  '79': null, // 土地管理业: new in 2017, no class in 71号
};

function renumberFor2017(table2011: IndustryRiskTable): Record<string, RiskClass | null> {
  const renumbered: Record<string, RiskClass | null> = {};
  for (const [division, riskClass] of Object.entries(table2011)) {
    const d = Number(division);
    renumbered[String(d < 79 ? d : d + 1).padStart(2, '0')] = riskClass;
  }
  return renumbered;
}

const EDITION_2017: IndustryRiskTable = { ...renumberFor2017(EDITION_2011), ...AMENDMENTS_2017 };

export const INDUSTRY_RISK_CLASSES: Readonly<Record<IndustryEdition, IndustryRiskTable>> = {
  2011: EDITION_2011,
  2017: EDITION_2017,
};
