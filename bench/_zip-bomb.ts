import { createWriteStream } from "node:fs";
import { finished } from "node:stream/promises";
import { crc32, createDeflateRaw } from "node:zlib";

/**
 * An .xlsx whose sheet unpacks to `bytes` of rows, written as a stream (nothing holds it whole): a valid
 * workbook, about a megabyte for 228 MB like the security review's. `declaredSize` makes the archive
 * lie about the sheet's size, as a bomb made to pass a size check would.
 */
export async function writeZipBomb(file: string, bytes: number, options: { declaredSize?: number } = {}): Promise<string> {
  const head = '<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>工号</t></is></c></row>';
  // A value that cycles: a little of what deflate cannot fold away, as in the security review's bomb.
  const row = (n: number) => `<row><c t="inlineStr"><is><t>A</t></is></c><c><v>${n % 40}</v></c><c><v>2</v></c></row>`;
  const parts: [string, Buffer][] = [
    ["[Content_Types].xml", Buffer.from("<Types/>")],
    ["xl/workbook.xml", Buffer.from('<workbook xmlns:r="r"><sheets><sheet name="s" r:id="rId1"/></sheets></workbook>')],
    ["xl/_rels/workbook.xml.rels", Buffer.from('<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/></Relationships>')],
  ];
  const out = createWriteStream(file);
  const central: Buffer[] = [];
  let offset = 0;
  const write = (b: Buffer) => {
    out.write(b);
    offset += b.length;
  };
  const local = (name: string, crc: number, compressed: number, size: number) => {
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(0x0800, 6);
    h.writeUInt16LE(8, 8);
    h.writeUInt32LE(crc, 14);
    h.writeUInt32LE(compressed, 18);
    h.writeUInt32LE(size, 22);
    h.writeUInt16LE(Buffer.byteLength(name), 26);
    return Buffer.concat([h, Buffer.from(name)]);
  };
  const centralEntry = (name: string, crc: number, compressed: number, size: number, at: number) => {
    const h = Buffer.alloc(46);
    h.writeUInt32LE(0x02014b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(20, 6);
    h.writeUInt16LE(0x0800, 8);
    h.writeUInt16LE(8, 10);
    h.writeUInt32LE(crc, 16);
    h.writeUInt32LE(compressed, 20);
    h.writeUInt32LE(size, 24);
    h.writeUInt16LE(Buffer.byteLength(name), 28);
    h.writeUInt32LE(at, 42);
    return Buffer.concat([h, Buffer.from(name)]);
  };
  const deflate = async (source: () => Generator<Buffer>) => {
    const deflater = createDeflateRaw({ level: 9 });
    const pieces: Buffer[] = [];
    deflater.on("data", (d: Buffer) => pieces.push(d));
    let crc = 0;
    let size = 0;
    for (const b of source()) {
      crc = crc32(b, crc);
      size += b.length;
      if (!deflater.write(b)) await new Promise((r) => deflater.once("drain", r));
    }
    deflater.end();
    await finished(deflater);
    return { data: Buffer.concat(pieces), crc, size };
  };
  const entries: [string, () => Generator<Buffer>][] = [
    ...parts.map(
      ([name, b]) =>
        [
          name,
          function* () {
            yield b;
          },
        ] as [string, () => Generator<Buffer>],
    ),
    [
      "xl/worksheets/sheet1.xml",
      function* () {
        yield Buffer.from(head);
        let n = 2;
        for (let written = head.length; written < bytes; ) {
          const block = Buffer.from(Array.from({ length: 2000 }, () => row(n++)).join(""));
          written += block.length;
          yield block;
        }
        yield Buffer.from("</sheetData></worksheet>");
      },
    ],
  ];
  for (const [name, source] of entries) {
    const at = offset;
    const { data, crc, size } = await deflate(source);
    // A bomb may say it is small: the reader must count what it inflates, not believe the header.
    const declared = name.includes("worksheets") ? (options.declaredSize ?? size) : size;
    write(local(name, crc, data.length, declared));
    write(data);
    central.push(centralEntry(name, crc, data.length, declared, at));
  }
  const dirStart = offset;
  const dirBytes = Buffer.concat(central);
  write(dirBytes);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(central.length, 8);
  end.writeUInt16LE(central.length, 10);
  end.writeUInt32LE(dirBytes.length, 12);
  end.writeUInt32LE(dirStart, 16);
  write(end);
  out.end();
  await finished(out);
  return file;
}
