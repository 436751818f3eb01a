package com.onemusic.privacy.dsr.verification;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one-time codes to the log instead of sending them: for the local system and
 * tests only, never for production (the code is a secret).
 */
public class LoggingVerificationCodeSender implements VerificationCodeSender {

	private static final Logger logger = LoggerFactory.getLogger(LoggingVerificationCodeSender.class);

	@Override
	public void send(String requestId, Contact contact, String code) {
		logger.info("One-time code for data-subject request {} (to {}): {}", requestId, contact.masked(), code);
	}

}
