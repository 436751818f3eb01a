package com.onemusic.privacy.platform.mongo;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import com.onemusic.privacy.platform.DaemonThreads;
import com.onemusic.privacy.platform.outbox.MongoLease;

/**
 * Runs a job on a clock, on the one instance of a service that holds the job's lease (a
 * retention sweep, say). The job must be safe to run twice: the lease only avoids the
 * double work. A run that fails is logged and the next run goes on.
 */
public class LeasedJob {

	private static final Logger logger = LoggerFactory.getLogger(LeasedJob.class);

	private final String name;

	private final Supplier<Mono<Long>> job;

	private final MongoLease lease;

	private final Duration interval;

	private final ScheduledExecutorService scheduler;

	/**
	 * Creates the job; {@link #start} schedules it.
	 * @param name a name for the thread and the logs
	 * @param job one run, answering how many things it handled
	 * @param lease the lease that elects the instance that runs it
	 * @param interval the time between two runs
	 */
	public LeasedJob(String name, Supplier<Mono<Long>> job, MongoLease lease, Duration interval) {
		this.name = name;
		this.job = job;
		this.lease = lease;
		this.interval = interval;
		this.scheduler = DaemonThreads.scheduler(name);
	}

	public void start() {
		this.scheduler.scheduleWithFixedDelay(this::run, this.interval.toMillis(), this.interval.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	public void stop() {
		this.scheduler.shutdownNow();
	}

	/** One run, if this instance holds the lease. */
	public void run() {
		try {
			if (this.lease.tryAcquire()) {
				Long handled = this.job.get().block(this.interval);
				if (handled != null && handled > 0) {
					logger.info("{} handled {}", this.name, handled);
				}
			}
		}
		catch (RuntimeException ex) {
			logger.warn("{} stopped, continues next time: {}", this.name, ex.toString());
		}
	}

}
