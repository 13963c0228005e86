import * as iconv from 'iconv-lite';
import { openPgDump, parsePgDump } from '../../../src/extract/pgdump';
import { ExtractError } from '../../../src/extract/types';
import { collect, fixtureDir, rejection } from './fixture-files';

const dir = fixtureDir();
afterAll(() => dir.remove());

const TAB = '\t';
const DUMP = [
  '--',
  '-- PostgreSQL database dump',
  '--',
  "SET client_encoding = 'GBK';",
  'SET standard_conforming_strings = on;',
  "SELECT pg_catalog.set_config('search_path', '', false);",
  'CREATE FUNCTION public.touch() RETURNS trigger LANGUAGE plpgsql AS $_$',
  "BEGIN INSERT INTO public.audit VALUES (1, 'no'); RETURN NEW; END; $_$;",
  '/* a /* nested */ comment; COPY public.x FROM stdin; */',
  'CREATE TABLE public.gs_person (',
  '    id integer NOT NULL,',
  '    "姓名" character varying(50),',
  '    je numeric(20,2),',
  '    CONSTRAINT je_positive CHECK ((je > (0)::numeric))',
  ');',
  'COPY public.gs_person (id, "姓名", je) FROM stdin;',
  ['1', '买买提·艾力', '1200.50'].join(TAB),
  ['2', '\\N', '\\\\N'].join(TAB),
  ['3', 'tab\\there\\nnew line \\101\\x42 C:\\\\temp', ''].join(TAB),
  ['4', "'); DROP TABLE public.gs_person; --", '-1'].join(TAB),
  '\\.',
  '',
  'INSERT INTO public.gs_person VALUES (5, \'it\'\'s \\ raw\', 1.5::numeric);',
  'INSERT INTO "Public"."My Table" (a, b) OVERRIDING SYSTEM VALUE VALUES (E\'e\\tscape \\u00e9 \\101 \\\'q\\\'\', NULL), (\'x\'\'); DELETE FROM t; --\', true);',
  '',
].join('\n');

describe('parsePgDump', () => {
  it('reads COPY blocks and INSERTs of a GBK dump: \\N, escapes, dollar-quoted bodies skipped', async () => {
    const dump = await openPgDump({ file: dir.write('gbk.sql', iconv.encode(DUMP, 'gbk')) });
    expect(dump.encoding).toMatchObject({ encoding: 'gb18030', source: 'format-declaration' });
    expect(await dump.streams()).toEqual([
      { name: 'public.gs_person', columns: ['id', '姓名', 'je'] },
      { name: 'Public.My Table', columns: ['a', 'b'] },
    ]);
    expect(await collect(dump.rows())).toEqual([
      { stream: 'public.gs_person', rowNo: 1, cells: ['1', '买买提\u00b7艾力', '1200.50'] },
      { stream: 'public.gs_person', rowNo: 2, cells: ['2', null, '\\N'] },
      { stream: 'public.gs_person', rowNo: 3, cells: ['3', 'tab\there\nnew line AB C:\\temp', ''] },
      { stream: 'public.gs_person', rowNo: 4, cells: ['4', "'); DROP TABLE public.gs_person; --", '-1'] },
      { stream: 'public.gs_person', rowNo: 5, cells: [5, "it's \\ raw", 1.5] },
      { stream: 'Public.My Table', rowNo: 1, cells: ["e\tscape é A 'q'", null] },
      { stream: 'Public.My Table', rowNo: 2, cells: ["x'); DELETE FROM t; --", true] },
    ]);
  });

  it('decodes octal escapes as bytes of the dump encoding', async () => {
    const utf8 = `COPY t (a) FROM stdin;\n\\345\\274\\240\n\\.\n`; // 张 as escaped UTF-8 bytes
    expect(await collect(parsePgDump({ file: dir.write('oct.sql', utf8) }))).toEqual([{ stream: 't', rowNo: 1, cells: ['张'] }]);
  });

  it('resumes after a committed row', async () => {
    const file = dir.write('resume.sql', iconv.encode(DUMP, 'gbk'));
    const rows = await collect(parsePgDump({ file, resumeAfter: { stream: 'public.gs_person', rowNo: 4 } }));
    expect(rows.map((r) => `${r.stream}:${r.rowNo}`)).toEqual(['public.gs_person:5', 'Public.My Table:1', 'Public.My Table:2']);
  });

  it.each([
    ['a COPY block without \\.', 'COPY t (a) FROM stdin;\n1\n', 'extract.dump_invalid'],
    ['CSV-format COPY', "COPY t (a) FROM stdin WITH (FORMAT csv);\n1\n\\.\n", 'extract.dump_invalid'],
    ['an expression', 'INSERT INTO t VALUES (now());', 'extract.dump_invalid'],
    ['an unterminated string', "INSERT INTO t VALUES ('abc", 'extract.dump_truncated'],
  ])('rejects %s', async (_, sql, code) => {
    const err = await rejection(collect(parsePgDump({ file: dir.write('bad.sql', sql) })));
    expect(err).toBeInstanceOf(ExtractError);
    expect(err).toMatchObject({ code });
  });

  it('fails on invalid bytes under the declared encoding with the byte offset', async () => {
    const bytes = Buffer.concat([Buffer.from('COPY t (a) FROM stdin;\nok\n'), Buffer.from([0xc3, 0x28]), Buffer.from('\n\\.\n')]);
    const err = await rejection(collect(parsePgDump({ file: dir.write('inv.sql', bytes), encoding: 'utf-8' })));
    expect(err).toMatchObject({ code: 'extract.encoding_invalid', stream: 't', rowNo: 2, byteOffset: 26 });
  });

  it('reads COPY lines without a backslash on the fast path, as the general reader would, keeping the line', async () => {
    const body = ['1\t王伟\t1990-01-01', '2\t\t', '3\t含\\t转义\t\\N', '\t\t', '5\tO\'Brien, "x"\t2020-02-02'];
    const utf8 = `SET client_encoding = 'UTF8';\nCOPY public.p (id, name, d) FROM stdin;\n${body.join('\n')}\n\\.\n`;
    const rows = await collect(parsePgDump({ file: dir.write('plain-pg.sql', utf8) }));
    // the same dump in GB18030 takes the general reader only
    const general = await collect(parsePgDump({ file: dir.write('plain-pg-gb.sql', iconv.encode(utf8.replace('UTF8', 'GB18030'), 'gb18030')) }));
    expect(rows.map((r) => r.cells)).toEqual(general.map((r) => r.cells));
    expect(general.every((r) => r.line === undefined)).toBe(true);
    expect(rows.map((r) => r.line)).toEqual(['1\t王伟\t1990-01-01', '2\t\t', undefined, '\t\t', '5\tO\'Brien, "x"\t2020-02-02']);
    expect(rows[2]!.cells).toEqual(['3', '含\t转义', null]);
    for (const row of rows) if (row.line !== undefined) expect(row.line.split('\t')).toEqual(row.cells);
  });

  it.each([
    ['a COPY line with a missing column (fast path)', 'COPY public.t (a, b, c) FROM stdin;\n1\t2\t3\n4\t5\n\\.\n', 2, /2 values where its statement lists 3 columns \(a, b, c\)/],
    ['a COPY line with an extra column (fast path)', 'COPY public.t (a, b, c) FROM stdin;\n1\t2\t3\t4\n\\.\n', 1, /4 values where its statement lists 3 columns/],
    ['a COPY line with a missing column (escapes: general reader)', 'COPY public.t (a, b, c) FROM stdin;\n1\t2\t3\n\\N\tx\\ty\n\\.\n', 2, /2 values where its statement lists 3 columns/],
    ['an empty COPY line in a 3-column block', 'COPY public.t (a, b, c) FROM stdin;\n\n\\.\n', 1, /1 values where its statement lists 3 columns/],
    ['an INSERT tuple short of the table', "CREATE TABLE public.t (a integer, b text, c text);\nINSERT INTO public.t VALUES (1, 'x', 'y'), (2, 'z');\n", 2, /2 values where the table has 3 columns \(a, b, c\)/],
    ['an INSERT tuple past its column list', "INSERT INTO public.t (a, b) VALUES (1, 'x', 'y');\n", 1, /3 values where its statement lists 2 columns \(a, b\)/],
  ])('refuses %s, naming the table and row (never shifted columns)', async (_, sql, rowNo, message) => {
    const file = dir.write('width.sql', `-- PostgreSQL database dump\n${sql}`);
    const err = await rejection(collect(parsePgDump({ file })));
    expect(err).toMatchObject({ code: 'extract.column_count', file, stream: 'public.t', rowNo });
    expect(err.message).toMatch(message);
  });

  it('counts rows per table across COPY lines split over chunks', async () => {
    const lines = Array.from({ length: 50_000 }, (_, i) => `${i}\t名字${i}\t\\N`);
    const file = dir.write('many.sql', `COPY public.t (a, b, c) FROM stdin;\n${lines.join('\n')}\n\\.\n`);
    const rows = await collect(parsePgDump({ file }));
    expect(rows).toHaveLength(50_000);
    expect(rows[49_999]).toEqual({ stream: 'public.t', rowNo: 50_000, cells: ['49999', '名字49999', null] });
  });
});
