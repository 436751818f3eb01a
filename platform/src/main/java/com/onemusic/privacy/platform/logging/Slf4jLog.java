package com.onemusic.privacy.platform.logging;

import org.apache.commons.logging.Log;
import org.slf4j.Logger;
import org.slf4j.spi.LocationAwareLogger;

/**
 * A Commons Logging log over an SLF4J logger: a message is made a string only when its
 * level is enabled. Through a location-aware logger (Logback's), the caller reported is
 * the code that logged, not this class. Fatal is SLF4J's error.
 */
final class Slf4jLog implements Log {

	private static final String FQCN = Slf4jLog.class.getName();

	private final Logger logger;

	private final LocationAwareLogger located;

	Slf4jLog(Logger logger) {
		this.logger = logger;
		this.located = (logger instanceof LocationAwareLogger aware) ? aware : null;
	}

	@Override
	public boolean isTraceEnabled() {
		return enabled(LocationAwareLogger.TRACE_INT);
	}

	@Override
	public boolean isDebugEnabled() {
		return enabled(LocationAwareLogger.DEBUG_INT);
	}

	@Override
	public boolean isInfoEnabled() {
		return enabled(LocationAwareLogger.INFO_INT);
	}

	@Override
	public boolean isWarnEnabled() {
		return enabled(LocationAwareLogger.WARN_INT);
	}

	@Override
	public boolean isErrorEnabled() {
		return enabled(LocationAwareLogger.ERROR_INT);
	}

	@Override
	public boolean isFatalEnabled() {
		return enabled(LocationAwareLogger.ERROR_INT);
	}

	@Override
	public void trace(Object message) {
		log(LocationAwareLogger.TRACE_INT, message, null);
	}

	@Override
	public void trace(Object message, Throwable error) {
		log(LocationAwareLogger.TRACE_INT, message, error);
	}

	@Override
	public void debug(Object message) {
		log(LocationAwareLogger.DEBUG_INT, message, null);
	}

	@Override
	public void debug(Object message, Throwable error) {
		log(LocationAwareLogger.DEBUG_INT, message, error);
	}

	@Override
	public void info(Object message) {
		log(LocationAwareLogger.INFO_INT, message, null);
	}

	@Override
	public void info(Object message, Throwable error) {
		log(LocationAwareLogger.INFO_INT, message, error);
	}

	@Override
	public void warn(Object message) {
		log(LocationAwareLogger.WARN_INT, message, null);
	}

	@Override
	public void warn(Object message, Throwable error) {
		log(LocationAwareLogger.WARN_INT, message, error);
	}

	@Override
	public void error(Object message) {
		log(LocationAwareLogger.ERROR_INT, message, null);
	}

	@Override
	public void error(Object message, Throwable error) {
		log(LocationAwareLogger.ERROR_INT, message, error);
	}

	@Override
	public void fatal(Object message) {
		log(LocationAwareLogger.ERROR_INT, message, null);
	}

	@Override
	public void fatal(Object message, Throwable error) {
		log(LocationAwareLogger.ERROR_INT, message, error);
	}

	private boolean enabled(int level) {
		return switch (level) {
			case LocationAwareLogger.TRACE_INT -> this.logger.isTraceEnabled();
			case LocationAwareLogger.DEBUG_INT -> this.logger.isDebugEnabled();
			case LocationAwareLogger.INFO_INT -> this.logger.isInfoEnabled();
			case LocationAwareLogger.WARN_INT -> this.logger.isWarnEnabled();
			default -> this.logger.isErrorEnabled();
		};
	}

	/** The message becomes a string only when its level is enabled. */
	private void log(int level, Object message, Throwable error) {
		if (!enabled(level)) {
			return;
		}
		String text = String.valueOf(message);
		if (this.located != null) {
			this.located.log(null, FQCN, level, text, null, error);
			return;
		}
		switch (level) {
			case LocationAwareLogger.TRACE_INT -> this.logger.trace(text, error);
			case LocationAwareLogger.DEBUG_INT -> this.logger.debug(text, error);
			case LocationAwareLogger.INFO_INT -> this.logger.info(text, error);
			case LocationAwareLogger.WARN_INT -> this.logger.warn(text, error);
			default -> this.logger.error(text, error);
		}
	}

}
