package dev.nifireverseetl.processors.salesforce;

import okhttp3.FormBody;

/**
 * One OAuth 2.0 grant of the Salesforce token endpoint: builds the form body of a token request.
 */
interface TokenGrant {

    FormBody requestBody();

    /**
     * @return a stable, non-secret identifier of the account the grant acts for (keys the shared rate budget)
     */
    String accountScope();
}
