package com.onemusic.privacy.dsr;

import org.springframework.boot.autoconfigure.SpringBootApplication;

import com.onemusic.privacy.platform.PrivacyService;

/**
 * dsr-service: Runs data-subject requests from submission and identity verification to
 * proof of completion, on the 15-working-day clock.
 */
@SpringBootApplication
public class DsrServiceApplication {

	/** The service name, also the name of its configuration file. */
	public static final String NAME = "dsr-service";

	public static void main(String[] args) {
		PrivacyService.run(DsrServiceApplication.class, NAME, args);
	}

}
