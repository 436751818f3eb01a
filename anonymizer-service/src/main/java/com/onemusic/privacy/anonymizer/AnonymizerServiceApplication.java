package com.onemusic.privacy.anonymizer;

import org.springframework.boot.autoconfigure.SpringBootApplication;

import com.onemusic.privacy.platform.PrivacyService;

/**
 * anonymizer-service: De-identifies analytics data, erases it irreversibly on deletion,
 * masks what is displayed and makes statistics that identify nobody.
 */
@SpringBootApplication
public class AnonymizerServiceApplication {

	/** The service name, also the name of its configuration file. */
	public static final String NAME = "anonymizer-service";

	public static void main(String[] args) {
		PrivacyService.run(AnonymizerServiceApplication.class, NAME, args);
	}

}
