export { ClientError, documentHash, SerendipClient, type GraphQLErrorBody, type SerendipClientOptions, type SubscriptionSink } from './client';
export * from './generated/graphql';
