package com.onemusic.privacy.consent;

import com.onemusic.privacy.testsupport.ServiceContractTests;
import com.onemusic.privacy.testsupport.ServiceIntegrationTest;

/**
 * consent-service keeps the contract every service keeps (see
 * {@link ServiceContractTests}).
 */
@ServiceIntegrationTest(properties = "spring.config.name=" + ConsentServiceApplication.NAME)
class ConsentServiceApplicationTests extends ServiceContractTests {

}
