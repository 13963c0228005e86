import * as iconv from 'iconv-lite';
import { openMysqlDump, parseMysqlDump } from '../../../src/extract/mysqldump';
import { seededRandom } from '../../../src/demo/prng';
import { cellsOfPlainTuple, TupleRow } from '../../../src/extract/tuple-row';
import { ExtractError, type RawRow } from '../../../src/extract/types';
import { collect, fixtureDir, rejection } from './fixture-files';

const dir = fixtureDir();
afterAll(() => dir.remove());

/** What mysqldump 5.7/8.0 writes, with the nasty cases inside the data. */
const DUMP = String.raw`-- MySQL dump 10.13  Distrib 5.7.44, for Linux (x86_64)
/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;
/*!40101 SET NAMES gbk */;
DROP TABLE IF EXISTS ${'`'}gs_person${'`'};
/*!40101 SET @saved_cs_client     = @@character_set_client */;
CREATE TABLE ${'`'}gs_person${'`'} (
  ${'`'}id${'`'} int(11) NOT NULL AUTO_INCREMENT,
  ${'`'}xm${'`'} varchar(50) DEFAULT NULL COMMENT '姓名, (含括号)',
  ${'`'}je${'`'} decimal(20,2) DEFAULT NULL,
  ${'`'}zp${'`'} blob,
  ${'`'}flag${'`'} bit(3) DEFAULT NULL,
  PRIMARY KEY (${'`'}id${'`'}),
  KEY ${'`'}idx_xm${'`'} (${'`'}xm${'`'})
) ENGINE=InnoDB AUTO_INCREMENT=6 DEFAULT CHARSET=gbk;
LOCK TABLES ${'`'}gs_person${'`'} WRITE;
/*!40000 ALTER TABLE ${'`'}gs_person${'`'} DISABLE KEYS */;
INSERT INTO ${'`'}gs_person${'`'} VALUES (1,'买买提·艾力',1200.50,NULL,b'101'),(2,'O\'Brien \\ C:\\temp\n\r\t\0\Z\b \% \_ x''y',123456789012345678.99,_binary 'A\0\'',NULL),(3,'\'); DROP TABLE gs_person; -- ',-5e-1,X'DEADbeef',NULL);
INSERT INTO ${'`'}gs_person${'`'} VALUES (4,"双引号 \" 'ok'",0,0x0a0B,NULL);
/*!40000 ALTER TABLE ${'`'}gs_person${'`'} ENABLE KEYS */;
UNLOCK TABLES;
# a hash comment with INSERT INTO gs_person VALUES (99,'no',0,NULL,NULL);
DELIMITER ;;
/*!50003 CREATE*/ /*!50017 DEFINER=${'`'}root${'`'}@${'`'}%${'`'}*/ /*!50003 TRIGGER t BEFORE INSERT ON gs_person FOR EACH ROW BEGIN INSERT INTO gs_log VALUES (1); END */;;
CREATE PROCEDURE p() BEGIN INSERT INTO gs_person VALUES (98,'no',0,NULL,NULL); END ;;
DELIMITER ;
INSERT INTO gs_log (note, id) VALUES ('一', 1);
INSERT INTO gs_log (id, note) VALUES (2, '二');
`;

describe('parseMysqlDump', () => {
  it('reads a GBK mysqldump: columns, escapes, binary and hex literals, dangerous SQL as data', async () => {
    const file = dir.write('gbk.sql', iconv.encode(DUMP, 'gbk'));
    const dump = await openMysqlDump({ file });
    expect(dump.encoding).toEqual({ encoding: 'gb18030', bomLength: 0, source: 'format-declaration' });
    expect(await dump.streams()).toEqual([
      { name: 'gs_person', columns: ['id', 'xm', 'je', 'zp', 'flag'] },
      { name: 'gs_log', columns: ['note', 'id'] },
    ]);
    expect(await collect(dump.rows())).toEqual([
      { stream: 'gs_person', rowNo: 1, cells: [1, '买买提\u00b7艾力', 1200.5, null, 5] },
      { stream: 'gs_person', rowNo: 2, cells: [2, "O'Brien \\ C:\\temp\n\r\t\0\x1a\b \\% \\_ x'y", '123456789012345678.99', '0x410027', null] },
      { stream: 'gs_person', rowNo: 3, cells: [3, "'); DROP TABLE gs_person; -- ", -0.5, '0xDEADBEEF', null] },
      { stream: 'gs_person', rowNo: 4, cells: [4, "双引号 \" 'ok'", 0, '0x0A0B', null] },
      { stream: 'gs_log', rowNo: 1, cells: ['一', 1] },
      // the second INSERT names the columns in another order: cells follow the stream's columns
      { stream: 'gs_log', rowNo: 2, cells: ['二', 2] },
    ]);
  });

  it('reads the same dump in UTF-8 and GB18030 to the same rows', async () => {
    const utf8 = DUMP.replace('SET NAMES gbk', 'SET NAMES utf8mb4');
    const a = await collect(parseMysqlDump({ file: dir.write('u.sql', utf8) }));
    const b = await collect(parseMysqlDump({ file: dir.write('g.sql', iconv.encode(DUMP, 'gb18030')) }));
    expect(a).toEqual(b);
    expect(a).toHaveLength(6);
  });

  it('scans GBK multibyte characters whose trail byte is a backslash (0x5C)', async () => {
    // 誠 is 0xD5 0x5C in GBK: a byte-wise scanner would take the 0x5C for an escape
    const sql = "INSERT INTO t VALUES ('誠','x');\n";
    expect(iconv.encode('誠', 'gbk').includes(0x5c)).toBe(true);
    const rows = await collect(parseMysqlDump({ file: dir.write('5c.sql', iconv.encode(sql, 'gbk')), encoding: 'gbk' }));
    expect(rows).toEqual([{ stream: 't', rowNo: 1, cells: ['誠', 'x'] }]);
  });

  it('reads GUI-tool exports: one INSERT per row, qualified names, REPLACE and IGNORE', async () => {
    const sql = [
      'SET FOREIGN_KEY_CHECKS=0;',
      'INSERT INTO `ylbx`.`dw` (`dwbh`, `dwmc`) VALUES (\'0001\', \'甲公司\');',
      'INSERT IGNORE INTO `ylbx`.`dw` (`dwbh`, `dwmc`) VALUES (\'0002\', NULL);',
      'REPLACE INTO `ylbx`.`dw` (`dwbh`, `dwmc`) VALUES (\'0003\', \'丙\') ON DUPLICATE KEY UPDATE dwmc = VALUES(dwmc);',
      'INSERT INTO `ylbx`.`dw` (`dwbh`, `dwmc`) VALUES (\'0004\', TRUE)',
    ].join('\r\n');
    const rows = await collect(parseMysqlDump({ file: dir.write('navicat.sql', sql) }));
    expect(rows.map((r) => [r.stream, r.rowNo, ...r.cells])).toEqual([
      ['ylbx.dw', 1, '0001', '甲公司'],
      ['ylbx.dw', 2, '0002', null],
      ['ylbx.dw', 3, '0003', '丙'],
      ['ylbx.dw', 4, '0004', true],
    ]);
  });

  it('keeps numbers a double cannot hold as text', async () => {
    const rows = await collect(parseMysqlDump({ file: dir.write('n.sql', 'INSERT INTO t VALUES (110101199003077777,0.1,-12.50,1e3,9007199254740993);') }));
    expect(rows[0]!.cells).toEqual(['110101199003077777', 0.1, -12.5, 1000, '9007199254740993']);
  });

  it('resumes after a committed tuple', async () => {
    const file = dir.write('resume.sql', iconv.encode(DUMP, 'gbk'));
    const rows = await collect(parseMysqlDump({ file, resumeAfter: { stream: 'gs_person', rowNo: 3 } }));
    expect(rows.map((r) => `${r.stream}:${r.rowNo}`)).toEqual(['gs_person:4', 'gs_log:1', 'gs_log:2']);
  });

  it.each([
    ['an expression instead of a literal', "INSERT INTO t VALUES (1, NOW());", 'extract.dump_invalid', 't', 1],
    ['INSERT … SELECT', 'INSERT INTO t SELECT * FROM u;', 'extract.dump_invalid', undefined, undefined],
    ['an unterminated string', "INSERT INTO t VALUES (1,'abc", 'extract.dump_truncated', undefined, undefined],
    ['garbage between tuples', "INSERT INTO t VALUES (1) (2);", 'extract.dump_invalid', 't', 1],
    // a tuple with the wrong number of values: refused, never loaded with its columns shifted
    ['a plain tuple short of the table', "CREATE TABLE `t` (`a` int, `b` text, `c` text);\nINSERT INTO `t` VALUES (1,'x','y'),(2,'z');", 'extract.column_count', 't', 2],
    ['a plain tuple short of the table, last in its statement', "CREATE TABLE `t` (`a` int, `b` text);\nINSERT INTO `t` VALUES (1);", 'extract.column_count', 't', 1],
    ['a tuple past the table (general parser)', "CREATE TABLE `t` (`a` int, `b` text);\nINSERT INTO `t` VALUES (1, 'x\\'y', 3);", 'extract.column_count', 't', 1],
    ['a GBK tuple past its column list', "SET NAMES gbk;\nINSERT INTO `t` (`a`) VALUES (1,2);", 'extract.column_count', 't', 1],
  ])('rejects %s with its locator', async (_, sql, code, stream, rowNo) => {
    const err = await rejection(collect(parseMysqlDump({ file: dir.write('bad.sql', sql) })));
    expect(err).toBeInstanceOf(ExtractError);
    expect(err).toMatchObject({ code, stream, rowNo });
    expect((err as ExtractError).byteOffset).toEqual(expect.any(Number));
  });

  it('enforces the cell length limit inside a string literal', async () => {
    const file = dir.write('long.sql', `INSERT INTO t VALUES ('${'x'.repeat(100)}');`);
    expect(await rejection(collect(parseMysqlDump({ file, limits: { maxCellChars: 10 } })))).toMatchObject({ limit: 'maxCellChars', stream: 't', rowNo: 1 });
  });

  it('reads plain tuples on the fast path to the same rows as the general parser', async () => {
    const values = [
      "1,'王伟',-12.50,NULL,'1990-01-01'",
      "0,'',0.5,NULL,'NULL is text here'",
      "-0,'say \"hi\"',007,1e3,'x'",
      "123456789012345678,'tab\there',12345678901234.5,NULL,'🀄 𠮷'",
      "2,'a,b)(c',-7,NULL,'end'",
      "5,'O''Brien','back\\\\slash',0,''",
    ];
    const plain = `CREATE TABLE t (a int, b text, c decimal, d int, e text);\nINSERT INTO t VALUES ${values.map((v) => `(${v})`).join(',')};\n`;
    // a space after each comma between tuples sends every tuple through the general parser
    const spaced = plain.replace(/\),\(/g, '), (');
    const fast = await collect(parseMysqlDump({ file: dir.write('plain.sql', plain) }));
    expect(fast).toEqual(await collect(parseMysqlDump({ file: dir.write('spaced.sql', spaced) })));
    expect(fast[5]).toEqual({ stream: 't', rowNo: 6, cells: [5, "O'Brien", 'back\\slash', 0, ''] });
  });

  it('keeps plain tuples as their text (TupleRow) whose cells are the general parser’s, on 2,000 random tuples', async () => {
    const rand = seededRandom(31);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
    const pieces = ['王', '伟', 'a', ',', '(', ')', ' ', 'NULL', '0', '7', '.', '-', '𠮷', '"', '·'];
    const value = (): string => {
      const kind = rand();
      if (kind < 0.45) return `'${Array.from({ length: Math.floor(rand() * 6) }, () => pick(pieces)).join('')}'`;
      if (kind < 0.55) return 'NULL';
      return pick(['0', '-7', '12.50', '007', '-0.25', '430105198011191740', '12345678901234.5', '123456789012345678.99', String(Math.floor(rand() * 1e6))]);
    };
    const tuples = Array.from({ length: 2_000 }, () => `(${Array.from({ length: 1 + Math.floor(rand() * 6) }, value).join(',')})`);
    const plain = `INSERT INTO t VALUES ${tuples.join(',')};\n`;
    const opened = await openMysqlDump({ file: dir.write('random-plain.sql', plain) });
    const raw: RawRow[] = [];
    for await (const batch of opened.batches()) raw.push(...batch);
    // a space between tuples sends every tuple through the general parser
    const general = await collect(parseMysqlDump({ file: dir.write('random-spaced.sql', `INSERT INTO t VALUES ${tuples.join(', ')};\n`) }));
    expect(raw.map((r) => r.cells)).toEqual(general.map((r) => r.cells));
    // all but the first tuple (after "VALUES ") take the text path, and read back the same
    expect(raw.filter((r) => r instanceof TupleRow)).toHaveLength(1_999);
    for (const row of raw) if (row.tuple !== undefined) expect(cellsOfPlainTuple(row.tuple)).toEqual(row.cells);
  });

  it('parses tuples split across chunk boundaries', async () => {
    const tuples = Array.from({ length: 30_000 }, (_, i) => `(${i},'名字${i} \\'q\\'','${'y'.repeat(i % 50)}')`);
    const file = dir.write('many.sql', `INSERT INTO t VALUES ${tuples.join(',')};\n`);
    const rows = await collect(parseMysqlDump({ file }));
    expect(rows).toHaveLength(30_000);
    expect(rows[29_999]).toEqual({ stream: 't', rowNo: 30_000, cells: [29_999, "名字29999 'q'", 'y'.repeat(29_999 % 50)] });
  });
});
