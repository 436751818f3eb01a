package com.onemusic.privacy.anonymizer.retention;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.onemusic.privacy.platform.outbox.MongoLease;

/**
 * Runs the retention sweep on a clock, on the one instance that holds the lease (the
 * sweep is safe to run twice, this only avoids the double work).
 */
public class RetentionScheduler {

	private static final Logger logger = LoggerFactory.getLogger(RetentionScheduler.class);

	private final RetentionSweep sweep;

	private final MongoLease lease;

	private final Duration interval;

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "retention-sweep");
		thread.setDaemon(true);
		return thread;
	});

	public RetentionScheduler(RetentionSweep sweep, MongoLease lease, Duration interval) {
		this.sweep = sweep;
		this.lease = lease;
		this.interval = interval;
	}

	public void start() {
		this.scheduler.scheduleWithFixedDelay(this::run, this.interval.toMillis(), this.interval.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	public void stop() {
		this.scheduler.shutdownNow();
	}

	void run() {
		try {
			if (this.lease.tryAcquire()) {
				Long handled = this.sweep.sweep(Integer.MAX_VALUE).block(this.interval);
				if (handled != null && handled > 0) {
					logger.info("Retention sweep handled {} expired documents", handled);
				}
			}
		}
		catch (RuntimeException ex) {
			// Each batch is complete in itself: the next run continues.
			logger.warn("Retention sweep stopped, continues next time: {}", ex.toString());
		}
	}

}
