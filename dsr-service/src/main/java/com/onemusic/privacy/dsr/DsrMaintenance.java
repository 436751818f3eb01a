package com.onemusic.privacy.dsr;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import com.onemusic.privacy.dsr.calendar.CalendarHolder;
import com.onemusic.privacy.dsr.request.DsrRequests;
import com.onemusic.privacy.dsr.request.SlaState;
import com.onemusic.privacy.platform.DaemonThreads;

/**
 * What runs on a clock: unverified requests expire, the SLA figures are refreshed, and
 * the holiday schedules are read again (a new year makes provisional deadlines final).
 * Every instance runs it; each step is idempotent.
 */
class DsrMaintenance {

	private static final Logger logger = LoggerFactory.getLogger(DsrMaintenance.class);

	private static final Duration STEP_TIMEOUT = Duration.ofMinutes(5);

	private final DsrRequests requests;

	private final CalendarHolder calendar;

	private final DsrProperties properties;

	private final Function<SlaState, Mono<Void>> refreshSla;

	private final ScheduledExecutorService scheduler = DaemonThreads.scheduler("dsr-maintenance");

	DsrMaintenance(DsrRequests requests, CalendarHolder calendar, DsrProperties properties,
			Function<SlaState, Mono<Void>> refreshSla) {
		this.requests = requests;
		this.calendar = calendar;
		this.properties = properties;
		this.refreshSla = refreshSla;
	}

	void start() {
		long every = this.properties.maintenanceInterval().toMillis();
		this.scheduler.scheduleWithFixedDelay(this::expireAndMeasure, every, every, TimeUnit.MILLISECONDS);
		long reload = this.properties.calendar().reloadInterval().toMillis();
		this.scheduler.scheduleWithFixedDelay(this::reloadCalendar, reload, reload, TimeUnit.MILLISECONDS);
	}

	void stop() {
		this.scheduler.shutdownNow();
	}

	void expireAndMeasure() {
		try {
			Long expired = this.requests.expireUnverified().block(STEP_TIMEOUT);
			if (expired != null && expired > 0) {
				logger.info("{} unverified data-subject requests expired", expired);
			}
			for (SlaState state : SlaState.values()) {
				this.refreshSla.apply(state).block(STEP_TIMEOUT);
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Data-subject request maintenance failed, will retry: {}", ex.toString());
		}
	}

	void reloadCalendar() {
		try {
			this.calendar.reload();
			// Every time, not only when a year was added: a failed pass is made up next
			// time, and a deadline that is still provisional is left as it is.
			Long changed = this.requests.recomputeProvisionalDeadlines().block(STEP_TIMEOUT);
			if (changed != null && changed > 0) {
				logger.info("{} provisional deadlines recomputed", changed);
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Recomputing provisional deadlines failed, will retry: {}", ex.toString());
		}
	}

}
