package com.onemusic.privacy.dsr.verification;

/**
 * Delivers one-time codes (an SMS gateway, a mail service). The service ships only
 * {@link LoggingVerificationCodeSender}, for the local system; production provides its
 * own bean.
 */
public interface VerificationCodeSender {

	/**
	 * Sends a code.
	 * @param requestId the request it verifies
	 * @param contact where to
	 * @param code the code
	 */
	void send(String requestId, Contact contact, String code);

}
