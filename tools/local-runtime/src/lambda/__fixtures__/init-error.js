// Fails while loading, as a bundle with a bad config or missing dependency does.
throw new Error('config: USERS_TABLE_NAME is not set');
