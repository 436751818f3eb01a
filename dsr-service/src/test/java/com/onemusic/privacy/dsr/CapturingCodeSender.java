package com.onemusic.privacy.dsr;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.onemusic.privacy.dsr.verification.Contact;
import com.onemusic.privacy.dsr.verification.VerificationCodeSender;

/** Keeps the codes it is asked to send, as the user's phone would. */
class CapturingCodeSender implements VerificationCodeSender {

	private final Map<String, String> codes = new ConcurrentHashMap<>();

	private final Map<String, Contact> contacts = new ConcurrentHashMap<>();

	@Override
	public void send(String requestId, Contact contact, String code) {
		this.codes.put(requestId, code);
		this.contacts.put(requestId, contact);
	}

	String codeOf(String requestId) {
		return this.codes.get(requestId);
	}

	Contact contactOf(String requestId) {
		return this.contacts.get(requestId);
	}

}
