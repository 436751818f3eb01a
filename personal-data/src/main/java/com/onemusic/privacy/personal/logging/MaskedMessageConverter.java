package com.onemusic.privacy.personal.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * Logback's {@code %msg}, masked ({@link LogMasking}): declare it with
 * {@code <conversionRule conversionWord="maskedMsg" class="...MaskedMessageConverter"/>}.
 */
public class MaskedMessageConverter extends ClassicConverter {

	@Override
	public String convert(ILoggingEvent event) {
		return LogMasking.mask(event.getFormattedMessage());
	}

}
