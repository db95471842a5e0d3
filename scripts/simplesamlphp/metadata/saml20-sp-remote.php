<?php
/*
 * rambridge as the one SP, with SimpleSAMLphp's default signing: the assertion only, which
 * rambridge's generic preset accepts (requireSigned: assertion). An encrypted assertion comes in a
 * signed Response: rambridge decrypts nothing that no signature vouches for. The NameID is the email.
 */
$settings = json_decode(file_get_contents(dirname(__DIR__) . '/settings.json'), true, 16, JSON_THROW_ON_ERROR);
$sp = $settings['sp'];

$metadata[$sp['entityId']] = [
    'AssertionConsumerService' => $sp['acsUrl'],
    'NameIDFormat' => 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    'simplesaml.nameidattribute' => 'email',
    'simplesaml.attributes' => true,
    'saml20.sign.response' => !empty($sp['encryptAssertions']),
    'saml20.sign.assertion' => true,
    'signature.algorithm' => 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
];
if (isset($sp['certificate'])) {
    // rambridge signs its AuthnRequests when it has a key: check them.
    $metadata[$sp['entityId']]['certData'] = $sp['certificate'];
    $metadata[$sp['entityId']]['validate.authnrequest'] = true;
    $metadata[$sp['entityId']]['assertion.encryption'] = $sp['encryptAssertions'];
}
