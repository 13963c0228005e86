/**
 * Synthetic but realistic people for demos, tests and benchmarks: valid resident IDs of the
 * province's counties, common surnames and given names, minority names with a middle dot.
 */
import { idCheckChar } from '../domain/rules/resident-id';
import { intBetween, pick } from './prng';

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗', '欧阳', '司马'];
const GIVEN = ['伟', '芳', '娜', '秀英', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀兰', '霞', '平', '刚', '桂英', '建国', '湘', '岳'];
const MINORITY = ['买买提·艾力', '阿依古丽·吐尔逊', '热依拉·买买提', '古丽娜尔·阿不都'];

export interface SyntheticPerson {
  idNumber: string;
  name: string;
  gender: 'M' | 'F';
  birthDate: string;
}

export function syntheticIdNumber(rand: () => number, regionCode: string, gender?: 'M' | 'F'): { id: string; gender: 'M' | 'F'; birthDate: string } {
  const y = intBetween(rand, 1960, 2004);
  const m = intBetween(rand, 1, 12);
  const d = intBetween(rand, 1, 28);
  let seq = intBetween(rand, 0, 998);
  const g = gender ?? (rand() < 0.5 ? 'M' : 'F');
  if ((seq % 2 === 1) !== (g === 'M')) seq += 1;
  const birth = `${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}`;
  const first17 = `${regionCode}${birth}${String(seq).padStart(3, '0')}`;
  return { id: first17 + idCheckChar(first17), gender: g, birthDate: `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6)}` };
}

export function syntheticName(rand: () => number): string {
  if (rand() < 0.02) return pick(rand, MINORITY);
  return pick(rand, SURNAMES) + pick(rand, GIVEN);
}

export function syntheticPerson(rand: () => number, regionCodes: readonly string[]): SyntheticPerson {
  const { id, gender, birthDate } = syntheticIdNumber(rand, pick(rand, regionCodes));
  return { idNumber: id, name: syntheticName(rand), gender, birthDate };
}
