import { describe, expect, it } from 'vitest';
import { contentDisposition } from './media-route.ts';

describe('contentDisposition', () => {
  it('gives an ASCII filename and the exact name as filename*', () => {
    expect(contentDisposition('attachment', 'Invoice 42.pdf')).toBe(`attachment; filename="Invoice 42.pdf"; filename*=UTF-8''Invoice%2042.pdf`);
    expect(contentDisposition('inline', 'صورة (1).jpg')).toBe(
      `inline; filename="____ (1).jpg"; filename*=UTF-8''%D8%B5%D9%88%D8%B1%D8%A9%20%281%29.jpg`,
    );
  });

  it('keeps quotes, backslashes, path separators and control characters out of the header', () => {
    const header = contentDisposition('attachment', '..\\..\\evil"\r\nSet-Cookie: x=1/name.pdf');
    expect(header).toBe(`attachment; filename="_.._evil_Set-Cookie_ x=1_name.pdf"; filename*=UTF-8''_.._evil_Set-Cookie_%20x%3D1_name.pdf`);
    expect(header).not.toMatch(/[\r\n]/);
  });

  it('names a file that has no usable name "download"', () => {
    expect(contentDisposition('attachment', ' .. ')).toBe(`attachment; filename="download"; filename*=UTF-8''download`);
  });
});
