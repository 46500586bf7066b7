import { Redis } from 'ioredis';

/**
 * A Redis connection for BullMQ. `maxRetriesPerRequest: null` is what BullMQ requires of
 * blocking connections: commands wait for Redis to come back instead of failing, so a Redis
 * restart pauses the queue rather than crashing the worker. Connection errors go to `onError`
 * (ioredis keeps reconnecting on its own).
 */
export function createRedisConnection(url: string, onError: (error: Error) => void = () => undefined): Redis {
  const connection = new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
  connection.on('error', onError);
  return connection;
}
