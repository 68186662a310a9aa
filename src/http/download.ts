// A file answer in the format asked for (CSV by default): its content type, and a download name for the formats a
// person saves (JSON is for programs and shows inline).
import type { FastifyReply } from 'fastify';
import type { Readable } from 'node:stream';
import type { FileFormat } from '../contract/imports.contract.ts';
import { FILE_CONTENT_TYPES } from '../reports/error-file.ts';

export function sendFile(reply: FastifyReply, asked: FileFormat | undefined, baseName: string, body: (format: FileFormat) => Readable) {
  const format = asked ?? 'csv';
  reply.type(FILE_CONTENT_TYPES[format]);
  if (format !== 'json') reply.header('content-disposition', `attachment; filename="${baseName}.${format}"`);
  return reply.send(body(format));
}
