package com.onemusic.privacy.dsr;

import com.onemusic.privacy.testsupport.ServiceContractTests;
import com.onemusic.privacy.testsupport.ServiceIntegrationTest;

/**
 * dsr-service keeps the contract every service keeps (see {@link ServiceContractTests}).
 */
@ServiceIntegrationTest(properties = "spring.config.name=" + DsrServiceApplication.NAME)
class DsrServiceApplicationTests extends ServiceContractTests {

}
