package com.onemusic.privacy.consent;

import org.springframework.boot.autoconfigure.SpringBootApplication;

import com.onemusic.privacy.platform.PrivacyService;

/**
 * consent-service: Records each user's consents under versioned policies, keeps their
 * history and publishes every change.
 */
@SpringBootApplication
public class ConsentServiceApplication {

	/** The service name, also the name of its configuration file. */
	public static final String NAME = "consent-service";

	public static void main(String[] args) {
		PrivacyService.run(ConsentServiceApplication.class, NAME, args);
	}

}
