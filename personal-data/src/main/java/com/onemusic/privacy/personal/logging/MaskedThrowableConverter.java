package com.onemusic.privacy.personal.logging;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.IThrowableProxy;

/**
 * Logback's {@code %ex}, masked ({@link LogMasking}): exception messages quote values
 * too.
 */
public class MaskedThrowableConverter extends ThrowableProxyConverter {

	@Override
	protected String throwableProxyToString(IThrowableProxy proxy) {
		return LogMasking.mask(super.throwableProxyToString(proxy));
	}

}
