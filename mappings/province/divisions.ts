/**
 * Division codes of the province (行政区划代码, GB/T 2260) with their names: the province, its
 * prefecture-level cities (the pooling units whose mappings are loaded) and the districts and
 * counties of the capital. What the workbench shows instead of a bare code; a code not listed is
 * shown by its city's name when the city is listed, else as the code itself.
 */
export const PROVINCE_DIVISIONS: Readonly<Record<string, string>> = {
  '430000': '湖南省',
  '430100': '长沙市',
  '430102': '芙蓉区',
  '430103': '天心区',
  '430104': '岳麓区',
  '430105': '开福区',
  '430111': '雨花区',
  '430112': '望城区',
  '430121': '长沙县',
  '430181': '浏阳市',
  '430182': '宁乡市',
  '430200': '株洲市',
  '430300': '湘潭市',
  '430400': '衡阳市',
  '430500': '邵阳市',
  '430600': '岳阳市',
  '430700': '常德市',
  '430800': '张家界市',
  '430900': '益阳市',
  '431000': '郴州市',
  '431100': '永州市',
  '431200': '怀化市',
  '431300': '娄底市',
  '433100': '湘西土家族苗族自治州',
};

/** 430102 → 芙蓉区, 430211 → 株洲市 (its city), 999999 → null. */
export function divisionName(code: string): string | null {
  return PROVINCE_DIVISIONS[code] ?? (/^\d{6}$/.test(code) ? (PROVINCE_DIVISIONS[`${code.slice(0, 4)}00`] ?? null) : null);
}
