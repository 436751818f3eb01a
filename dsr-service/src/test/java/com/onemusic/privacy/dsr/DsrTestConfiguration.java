package com.onemusic.privacy.dsr;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/** Codes go to the test instead of the log. */
@TestConfiguration(proxyBeanMethods = false)
class DsrTestConfiguration {

	@Bean
	CapturingCodeSender capturingCodeSender() {
		return new CapturingCodeSender();
	}

}
