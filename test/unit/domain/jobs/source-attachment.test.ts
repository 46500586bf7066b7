import { describe, expect, it } from 'vitest';
import { attachmentLinkExpiry, sourceAttachmentProblem } from '../../../../src/domain/jobs/source-attachment.js';

const png = { contentType: 'image/png', size: 200_000, width: 512, height: 512 };

describe('an uploaded source image', () => {
  it('accepts PNG, JPEG and WebP pictures of sensible size', () => {
    for (const contentType of ['image/png', 'image/jpeg', 'image/webp', 'image/PNG; charset=binary'])
      expect(sourceAttachmentProblem({ ...png, contentType })).toBeNull();
  });

  it.each([
    [{ contentType: 'text/plain' }, /PNG, JPEG or WebP.*text\/plain/],
    [{ contentType: null }, /PNG, JPEG or WebP/],
    [{ contentType: 'image/gif' }, /image\/gif/],
    [{ size: 21 * 1024 * 1024 }, /too large \(21\.0 MiB; the limit is 20 MiB\)/],
    [{ width: null }, /could not be read/],
    [{ width: 32 }, /between 64 and 4096 pixels.*32×512/],
    [{ height: 5000 }, /512×5000/],
  ])('refuses %o with a reason', (change, reason) => {
    expect(sourceAttachmentProblem({ ...png, ...change })).toMatch(reason);
  });
});

describe('when an attachment link stops working', () => {
  it('reads Discord’s signed expiry (hex Unix seconds in `ex`)', () => {
    const url = 'https://cdn.discordapp.com/ephemeral-attachments/1/2/cat.png?ex=6745f0a1&is=67449f21&hm=abc123&';
    expect(attachmentLinkExpiry(url)).toEqual(new Date(0x6745f0a1 * 1000));
  });

  it.each([
    ['https://cdn.discordapp.com/attachments/1/2/cat.png', 'an unsigned link'],
    ['https://example.com/cat.png?ex=not-hex', 'a malformed ex'],
    ['https://example.com/cat.png?ex=', 'an empty ex'],
    ['not a url', 'not a URL'],
  ])('has none for %s (%s): the link is tried as it is', (url) => {
    expect(attachmentLinkExpiry(url)).toBeNull();
  });
});
