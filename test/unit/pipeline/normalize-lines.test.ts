/**
 * Normalization writes exactly what it wrote before, byte for byte: staged COPY lines (their
 * content hashes are stored and compared with rows landed earlier — a changed hash would make
 * every old row look changed), outcome lines, reject entries, warnings and reason codes in their
 * order. The demo province's rows of every entity, defects and non-record rows included
 * (normalize-corpus.ts), are normalized in batches and digested per stream; the digests were
 * taken from the code before its per-row costs were cut and must never change. A change that
 * means to change an output changes a digest here, on purpose and with a migration of the hashes.
 */
import path from 'node:path';
import { loadMapping } from '../../../src/mapping/load-mapping';
import { DEMO_MAPPINGS_DIR } from '../../../src/demo/province';
import { demoCorpus, linesDigest, streamLines } from './normalize-corpus';

const DIGESTS: Record<string, string> = {
  '430100/persons': '8b4cddb3473f99df56762e2cdb112f3990762a9994a21170365c2ee15503399f',
  '430200/workbook/参保单位': 'fb73a326078a8b4e41178b299a25fe3c6e6fc2948ac2d627fadbcfddb2c37a11',
  '430200/workbook/参保人员': '23fc56a1979a523c5b3d695541e382b677a41ee91934ed21031b2a4d7e32266a',
  '430200/workbook/缴费明细': '78676bb10074c7077effd387ff1984144f13b13dae9d1a3ea0cfdec6491ad45c',
  '430200/workbook/工伤认定': 'b2b45f90a29a0c344095309b55333c3c0102504df7de7cf4996696bd89be5816',
  '430200/workbook/劳动能力鉴定': 'd87f3c43a589bd59aaf69070955b9a6a30ae670b42a551294b6be145b8917929',
  '430200/workbook/待遇支付': '41d970fd89c77d11e2f1d8da7d6d8ffa36b32749b1b0400a9d6d31d93fe84345',
  '430300/dump/dw_jbxx': '27e5b0e29406ce506c348e972a3c35478bc466d04f90cc818722e1e5d618adb4',
  '430300/dump/ry_cbxx': '8436bcda7cd3741125349409104c816eed9737c8118a70a01d299158661681f4',
  '430300/dump/jf_mx': '531e0be16d7528edb02d2637a8fe929f2702ceebd540d6283c8cd38f2ee9d792',
  '430300/dump/gs_rdxx': '74b41ed9389f702b98049dfbee17e5c6df8cf4aece3c1bfc2335d19c9cae38aa',
  '430300/dump/ldnl_jd': '57fbfd165becd024cb45e611ad709ad51af441aaf6bb38bfc9d36040d1819600',
  '430300/dump/dy_zfmx': '82b98709a9e724660ba4d1b1336563a97aa46c0ce423e90d758b06d0bf2daa86',
  '430400/employers/*': 'e4e9d928ef36ba9bb35e668f184438f20c124bbc41e73dae1926459186e5d4e5',
  '430400/spells/*': '87bb35e768d4588744e442a13f3a22b46e79456ab41c4a1b0b1c9956c38ab61c',
  '430400/contributions/*': 'adf5c71d2f4c8c8d6296d355848dd2706487bcdad69fdee228d7f07e871ba1f3',
  '430400/cases/*': '89ba617c74fea5edb4552b88d2976abc6698c61db431336d17ba331f874537f5',
  '430400/appraisals/*': '95e3f0b1931345e91cacec0b524bcff03406c13851b487f135f00edef4d9bb13',
  '430400/benefits/*': '1aaaeb22c36ad612d9a3583bac57d31b44c5c6dcf18db7e94e42ca1c58a44137',
  '430400/employers_late/*': '58aa4b7727cc53fd70d3424b9bc6ebf4cfe918d83914ed5e92a2ec24a90a20d4',
  // the same rows with text COPY and JSON must escape (digests of the code before, too)
  '430100/persons hostile': '731c9d3e5ecfc431a9fc16cb2180351491bc588df109164959f173c1fe61e1f3',
  '430200/workbook/参保单位 hostile': '952f75ff3fa7d4f712fd03687ba02b10efa4b1767e9b5aaa3c8a510c2bd4181f',
  '430300/dump/ry_cbxx hostile': 'f154b8ac79f8b535d0846c6f5c2e75f5c15f8bbaa6872c87016c4b4326da1775',
  '430400/spells/* hostile': 'a81838be961e320cfe3b3c9be77dd19c7cdd7e935d3c6cf02089682dfcca4aba',
  '430400/contributions/* hostile': 'c7cd5b2f7efb9102288f31e8c7dd64bd8de71c0cfaab850c3589b5d58648e7da',
};

/** canonicalJson of the parsed mapping: each mapping version's identity */
const MAPPING_SHA256: Record<string, string> = {
  '430100-changsha.yaml': '78703d4b60fc471a3d8220b65c0f3afa1b24dc6939f078389fd3f51eb56b8dce',
  '430200-zhuzhou.yaml': 'e02d817d2ffa7bdd3a8720d00d88e1002ea617171965d4bbd718246bdb8b5a92',
  '430300-xiangtan.yaml': 'fd6ee3b1f2903915dba76ff1a00016dfd8b95cef5f3ccb3adf1529849e43d2b1',
  '430400-hengyang.yaml': 'da4bd0acc368c9d4db67dfa2f197b8c8d136a500bc12d7116ba403aca85e2921',
};

describe('normalization output of the demo province', () => {
  const corpus = demoCorpus(20_000, 20_000);

  it('covers every stream of every demo city', () => {
    expect(corpus.map((s) => s.name).sort()).toEqual(Object.keys(DIGESTS).sort());
  });

  it.each(Object.keys(DIGESTS))('%s: the same staged lines, outcomes and rejects', (name) => {
    const stream = corpus.find((s) => s.name === name)!;
    expect(linesDigest(streamLines(stream, 1000))).toBe(DIGESTS[name]);
  });

  it.each(Object.keys(MAPPING_SHA256))('%s: the same mapping content hash', (file) => {
    expect(loadMapping(path.join(DEMO_MAPPINGS_DIR, file)).contentSha256).toBe(MAPPING_SHA256[file]);
  });
});
