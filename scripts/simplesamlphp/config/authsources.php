<?php
/* The demo users from settings.json: `username:password` => attributes (each a list of values). */
$settings = json_decode(file_get_contents(dirname(__DIR__) . '/settings.json'), true, 16, JSON_THROW_ON_ERROR);

$users = ['exampleauth:UserPass'];
foreach ($settings['users'] as $user) {
    $users[$user['username'] . ':' . $user['password']] = [
        'email' => [$user['email']],
        'name' => [$user['name']],
        'groups' => $user['groups'],
    ];
}

$config = [
    'admin' => ['core:AdminPassword'],
    'rambridge-users' => $users,
];
