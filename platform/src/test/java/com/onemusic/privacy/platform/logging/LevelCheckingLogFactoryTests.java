package com.onemusic.privacy.platform.logging;

import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;

class LevelCheckingLogFactoryTests {

	private static final String NAME = "com.onemusic.privacy.platform.logging.sample";

	private final Logger logger = (Logger) LoggerFactory.getLogger(NAME);

	/**
	 * Keeps each event with its caller, which Logback works out from the logging thread.
	 */
	private final ListAppender<ILoggingEvent> appended = new ListAppender<>() {

		@Override
		protected void append(ILoggingEvent event) {
			event.getCallerData();
			super.append(event);
		}

	};

	@BeforeEach
	void capture() {
		this.appended.start();
		this.logger.addAppender(this.appended);
		this.logger.setLevel(Level.INFO);
	}

	@AfterEach
	void release() {
		this.logger.detachAppender(this.appended);
		this.logger.setLevel(null);
	}

	@Test
	void commonsLoggingUsesThisFactory() {
		assertThat(LogFactory.getFactory()).isInstanceOf(LevelCheckingLogFactory.class);
		assertThat(LogFactory.getLog(NAME)).isInstanceOf(Slf4jLog.class).isSameAs(LogFactory.getLog(NAME));
	}

	@Test
	void aMessageOfADisabledLevelIsNeverMadeAString() {
		Log log = LogFactory.getLog(NAME);
		CountingMessage message = new CountingMessage();
		log.debug(message);
		log.trace(message, new IllegalStateException("not shown"));
		assertThat(message.rendered).hasValue(0);
		assertThat(this.appended.list).isEmpty();
		assertThat(log.isDebugEnabled()).isFalse();
		assertThat(log.isInfoEnabled()).isTrue();
	}

	@Test
	void aMessageOfAnEnabledLevelIsLoggedOnceWithItsCallerAndError() {
		Log log = LogFactory.getLog(NAME);
		CountingMessage message = new CountingMessage();
		log.info(message);
		log.fatal("gone", new IllegalStateException("boom"));
		assertThat(message.rendered).hasValue(1);
		assertThat(this.appended.list).extracting(ILoggingEvent::getLevel, ILoggingEvent::getFormattedMessage)
			.containsExactly(org.assertj.core.groups.Tuple.tuple(Level.INFO, "message 1"),
					org.assertj.core.groups.Tuple.tuple(Level.ERROR, "gone"));
		assertThat(this.appended.list.get(0).getCallerData()[0].getClassName())
			.isEqualTo(LevelCheckingLogFactoryTests.class.getName());
		assertThat(this.appended.list.get(1).getThrowableProxy().getMessage()).isEqualTo("boom");
	}

	private static final class CountingMessage {

		private final AtomicInteger rendered = new AtomicInteger();

		@Override
		public String toString() {
			return "message " + this.rendered.incrementAndGet();
		}

	}

}
