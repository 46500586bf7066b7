// Real-shaped snowflakes: discord.js derives createdTimestamp (and cache ordering) from the id,
// so ids must encode a plausible time rather than be arbitrary strings.
const DISCORD_EPOCH = 1_420_070_400_000n;
let increment = 0n;

export const nextSnowflake = (): string => {
  increment = (increment + 1n) & 0xfffn;
  return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | increment).toString();
};
