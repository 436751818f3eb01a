package com.onemusic.privacy.platform;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Threads of a service's own background work, which must never keep a stopping process
 * alive.
 */
public final class DaemonThreads {

	private DaemonThreads() {
	}

	/**
	 * A single-thread scheduler on a daemon thread.
	 * @param name the thread's name, as logs and thread dumps show it
	 * @return the scheduler
	 */
	public static ScheduledExecutorService scheduler(String name) {
		return Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, name);
			thread.setDaemon(true);
			return thread;
		});
	}

}
