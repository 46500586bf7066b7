/** The queue that carries job ids to workers (BullMQ). Redis is only the carrier. */
export interface GenerationQueue {
  /** Idempotent: a job id already in the queue is not added twice. */
  enqueue(jobId: string, priority: number): Promise<void>;
  /** Whether the queue still holds the job (waiting, delayed or running). */
  holds(jobId: string): Promise<boolean>;
  remove(jobId: string): Promise<void>;
}
