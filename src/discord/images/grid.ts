// A batch of four is shown as one 2×2 grid, like the best bots do, at full resolution so that
// each cell is the whole image (upscale and variations crop their source back out of it).
import sharp from 'sharp';

export const gridCells = 4;

/** The four images side by side, row by row, each in a cell the size of the first image. */
export async function makeGrid(images: readonly Buffer[]): Promise<Buffer> {
  if (images.length !== gridCells) throw new Error(`a grid needs ${gridCells} images, got ${images.length}`);
  const { width = 1, height = 1 } = await sharp(images[0]).metadata();
  const cells = await Promise.all(images.map((image) => sharp(image).resize(width, height, { fit: 'contain', background: '#000000' }).png().toBuffer()));
  return sharp({ create: { width: width * 2, height: height * 2, channels: 3, background: '#000000' } })
    .composite(cells.map((input, index) => ({ input, left: (index % 2) * width, top: Math.floor(index / 2) * height })))
    .png()
    .toBuffer();
}

/** Cuts cell `cell` (0–3, row by row) back out of a grid. */
export async function cropGridCell(grid: Buffer, cell: number): Promise<Buffer> {
  const { width = 2, height = 2 } = await sharp(grid).metadata();
  const cellWidth = Math.floor(width / 2);
  const cellHeight = Math.floor(height / 2);
  return sharp(grid)
    .extract({ left: (cell % 2) * cellWidth, top: Math.floor(cell / 2) * cellHeight, width: cellWidth, height: cellHeight })
    .png()
    .toBuffer();
}
