package com.onemusic.privacy.sharing;

import org.springframework.boot.autoconfigure.SpringBootApplication;

import com.onemusic.privacy.platform.PrivacyService;

/**
 * sharing-gateway: Lets data reach a partner only with a matching consent and only the
 * fields that partner needs; carries deletion to every partner that got data.
 */
@SpringBootApplication
public class SharingGatewayApplication {

	/** The service name, also the name of its configuration file. */
	public static final String NAME = "sharing-gateway";

	public static void main(String[] args) {
		PrivacyService.run(SharingGatewayApplication.class, NAME, args);
	}

}
