// Screenshots the browser tests save (test-results/, gitignored) and the check that one shows
// something: a blank or single-colour page has almost no spread in its pixels' brightness.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadImage, createCanvas } from '@napi-rs/canvas';

export const screenshotDir = path.resolve(import.meta.dirname, '../../test-results/playground');

export async function saveScreenshot(name: string, png: Buffer): Promise<string> {
  await mkdir(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await writeFile(file, png);
  return file;
}

/** The standard deviation of the pixels' brightness (0–255): 0 for a blank image. */
export async function brightnessSpread(png: Buffer): Promise<number> {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const context = canvas.getContext('2d');
  context.drawImage(image, 0, 0);
  const { data } = context.getImageData(0, 0, image.width, image.height);
  let sum = 0;
  let sumOfSquares = 0;
  const pixels = data.length / 4;
  for (let i = 0; i < data.length; i += 4) {
    const brightness = 0.2126 * data[i]! + 0.7152 * data[i + 1]! + 0.0722 * data[i + 2]!;
    sum += brightness;
    sumOfSquares += brightness * brightness;
  }
  const mean = sum / pixels;
  return Math.sqrt(Math.max(0, sumOfSquares / pixels - mean * mean));
}
