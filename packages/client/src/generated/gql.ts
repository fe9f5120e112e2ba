/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "query Categories {\n  categories {\n    id\n    name\n  }\n}": typeof types.CategoriesDocument,
    "mutation ForgetMe {\n  forgetMe {\n    userId\n    events\n    interestProfiles\n    slates\n    reviews\n    jobs\n  }\n}": typeof types.ForgetMeDocument,
    "subscription LiveRecommendations($slot: RecommendationSlot = HOME) {\n  recommendationsUpdated(slot: $slot) {\n    recommendationId\n    slot\n    personalised\n    items {\n      rank\n      reason\n      explored\n      product {\n        id\n        title\n        price\n        currency\n        imageUrl\n      }\n    }\n  }\n}": typeof types.LiveRecommendationsDocument,
    "query Me {\n  me {\n    id\n    email\n    displayName\n    locale\n    consent {\n      personalisation\n      updatedAt\n    }\n  }\n}": typeof types.MeDocument,
    "query MyPage($events: Int = 10) {\n  me {\n    id\n    displayName\n    email\n    consent {\n      personalisation\n      updatedAt\n    }\n    behaviourSummary {\n      personalisation\n      profileUpdatedAt\n      interests {\n        label\n        weight\n        signals\n        topKeywords\n        topCategories {\n          weight\n          category {\n            id\n            name\n          }\n        }\n      }\n      removedInterests {\n        label\n        removedAt\n      }\n      signals {\n        window\n        since\n        lastAt\n        passedOver\n        events {\n          type\n          count\n        }\n      }\n      segment {\n        segment\n        summary\n      }\n    }\n    recentEvents(first: $events) {\n      id\n      type\n      query\n      occurredAt\n      product {\n        id\n        title\n      }\n    }\n  }\n}": typeof types.MyPageDocument,
    "query ProductPage($id: ID!, $reviews: Int = 10, $after: String) {\n  product(id: $id) {\n    id\n    sku\n    title\n    description\n    brand\n    price\n    currency\n    tags\n    imageUrl\n    category {\n      id\n      name\n    }\n    ratingSummary {\n      average\n      count\n    }\n    reviews(first: $reviews, after: $after) {\n      nodes {\n        id\n        rating\n        text\n        language\n        createdAt\n        author {\n          id\n          displayName\n        }\n        analysis {\n          status\n          sentiment {\n            label\n            score\n          }\n          aspects {\n            aspect\n            sentiment\n            clause\n          }\n          keywords\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      totalCount\n    }\n  }\n}": typeof types.ProductPageDocument,
    "query Products($filter: ProductFilter, $first: Int = 20, $after: String) {\n  products(filter: $filter, first: $first, after: $after) {\n    nodes {\n      id\n      title\n      price\n      currency\n      imageUrl\n      category {\n        id\n        name\n      }\n      ratingSummary {\n        average\n        count\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    totalCount\n  }\n}": typeof types.ProductsDocument,
    "query Recommendations($slot: RecommendationSlot! = HOME, $first: Int! = 10, $excludeIds: [ID!]) {\n  recommendations(slot: $slot, first: $first, excludeIds: $excludeIds) {\n    recommendationId\n    slot\n    personalised\n    items {\n      rank\n      reason\n      explored\n      product {\n        id\n        title\n        price\n        currency\n        imageUrl\n      }\n    }\n  }\n}": typeof types.RecommendationsDocument,
    "mutation RefreshSession($refreshToken: String!) {\n  refreshSession(refreshToken: $refreshToken) {\n    token\n    expiresAt\n    refreshToken\n    refreshExpiresAt\n    user {\n      id\n      displayName\n    }\n  }\n}": typeof types.RefreshSessionDocument,
    "mutation RemoveInterest($index: Int!) {\n  removeInterest(index: $index) {\n    interests {\n      label\n    }\n    removedInterests {\n      label\n      removedAt\n    }\n  }\n}": typeof types.RemoveInterestDocument,
    "query Search($text: String!, $first: Int = 20, $mode: SearchMode = HYBRID) {\n  searchProducts(text: $text, first: $first, mode: $mode) {\n    score\n    matchedBy\n    product {\n      id\n      title\n      price\n      currency\n      imageUrl\n    }\n  }\n}": typeof types.SearchDocument,
    "mutation SignIn($email: String!, $password: String!) {\n  signIn(email: $email, password: $password) {\n    token\n    expiresAt\n    refreshToken\n    refreshExpiresAt\n    user {\n      id\n      displayName\n    }\n  }\n}": typeof types.SignInDocument,
    "mutation SignOut {\n  signOut\n}": typeof types.SignOutDocument,
    "mutation SignUp($input: SignUpInput!) {\n  signUp(input: $input) {\n    token\n    expiresAt\n    refreshToken\n    refreshExpiresAt\n    user {\n      id\n      displayName\n    }\n  }\n}": typeof types.SignUpDocument,
    "mutation SubmitReview($input: SubmitReviewInput!) {\n  submitReview(input: $input) {\n    id\n    rating\n    text\n    createdAt\n  }\n}": typeof types.SubmitReviewDocument,
    "mutation TrackEvents($events: [TrackEventInput!]!) {\n  trackEvents(events: $events) {\n    accepted\n    duplicates\n  }\n}": typeof types.TrackEventsDocument,
    "mutation UpdateConsent($personalisation: Boolean!) {\n  updateConsent(personalisation: $personalisation) {\n    id\n    consent {\n      personalisation\n      updatedAt\n    }\n  }\n}": typeof types.UpdateConsentDocument,
};
const documents: Documents = {
    "query Categories {\n  categories {\n    id\n    name\n  }\n}": types.CategoriesDocument,
    "mutation ForgetMe {\n  forgetMe {\n    userId\n    events\n    interestProfiles\n    slates\n    reviews\n    jobs\n  }\n}": types.ForgetMeDocument,
    "subscription LiveRecommendations($slot: RecommendationSlot = HOME) {\n  recommendationsUpdated(slot: $slot) {\n    recommendationId\n    slot\n    personalised\n    items {\n      rank\n      reason\n      explored\n      product {\n        id\n        title\n        price\n        currency\n        imageUrl\n      }\n    }\n  }\n}": types.LiveRecommendationsDocument,
    "query Me {\n  me {\n    id\n    email\n    displayName\n    locale\n    consent {\n      personalisation\n      updatedAt\n    }\n  }\n}": types.MeDocument,
    "query MyPage($events: Int = 10) {\n  me {\n    id\n    displayName\n    email\n    consent {\n      personalisation\n      updatedAt\n    }\n    behaviourSummary {\n      personalisation\n      profileUpdatedAt\n      interests {\n        label\n        weight\n        signals\n        topKeywords\n        topCategories {\n          weight\n          category {\n            id\n            name\n          }\n        }\n      }\n      removedInterests {\n        label\n        removedAt\n      }\n      signals {\n        window\n        since\n        lastAt\n        passedOver\n        events {\n          type\n          count\n        }\n      }\n      segment {\n        segment\n        summary\n      }\n    }\n    recentEvents(first: $events) {\n      id\n      type\n      query\n      occurredAt\n      product {\n        id\n        title\n      }\n    }\n  }\n}": types.MyPageDocument,
    "query ProductPage($id: ID!, $reviews: Int = 10, $after: String) {\n  product(id: $id) {\n    id\n    sku\n    title\n    description\n    brand\n    price\n    currency\n    tags\n    imageUrl\n    category {\n      id\n      name\n    }\n    ratingSummary {\n      average\n      count\n    }\n    reviews(first: $reviews, after: $after) {\n      nodes {\n        id\n        rating\n        text\n        language\n        createdAt\n        author {\n          id\n          displayName\n        }\n        analysis {\n          status\n          sentiment {\n            label\n            score\n          }\n          aspects {\n            aspect\n            sentiment\n            clause\n          }\n          keywords\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      totalCount\n    }\n  }\n}": types.ProductPageDocument,
    "query Products($filter: ProductFilter, $first: Int = 20, $after: String) {\n  products(filter: $filter, first: $first, after: $after) {\n    nodes {\n      id\n      title\n      price\n      currency\n      imageUrl\n      category {\n        id\n        name\n      }\n      ratingSummary {\n        average\n        count\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    totalCount\n  }\n}": types.ProductsDocument,
    "query Recommendations($slot: RecommendationSlot! = HOME, $first: Int! = 10, $excludeIds: [ID!]) {\n  recommendations(slot: $slot, first: $first, excludeIds: $excludeIds) {\n    recommendationId\n    slot\n    personalised\n    items {\n      rank\n      reason\n      explored\n      product {\n        id\n        title\n        price\n        currency\n        imageUrl\n      }\n    }\n  }\n}": types.RecommendationsDocument,
    "mutation RefreshSession($refreshToken: String!) {\n  refreshSession(refreshToken: $refreshToken) {\n    token\n    expiresAt\n    refreshToken\n    refreshExpiresAt\n    user {\n      id\n      displayName\n    }\n  }\n}": types.RefreshSessionDocument,
    "mutation RemoveInterest($index: Int!) {\n  removeInterest(index: $index) {\n    interests {\n      label\n    }\n    removedInterests {\n      label\n      removedAt\n    }\n  }\n}": types.RemoveInterestDocument,
    "query Search($text: String!, $first: Int = 20, $mode: SearchMode = HYBRID) {\n  searchProducts(text: $text, first: $first, mode: $mode) {\n    score\n    matchedBy\n    product {\n      id\n      title\n      price\n      currency\n      imageUrl\n    }\n  }\n}": types.SearchDocument,
    "mutation SignIn($email: String!, $password: String!) {\n  signIn(email: $email, password: $password) {\n    token\n    expiresAt\n    refreshToken\n    refreshExpiresAt\n    user {\n      id\n      displayName\n    }\n  }\n}": types.SignInDocument,
    "mutation SignOut {\n  signOut\n}": types.SignOutDocument,
    "mutation SignUp($input: SignUpInput!) {\n  signUp(input: $input) {\n    token\n    expiresAt\n    refreshToken\n    refreshExpiresAt\n    user {\n      id\n      displayName\n    }\n  }\n}": types.SignUpDocument,
    "mutation SubmitReview($input: SubmitReviewInput!) {\n  submitReview(input: $input) {\n    id\n    rating\n    text\n    createdAt\n  }\n}": types.SubmitReviewDocument,
    "mutation TrackEvents($events: [TrackEventInput!]!) {\n  trackEvents(events: $events) {\n    accepted\n    duplicates\n  }\n}": types.TrackEventsDocument,
    "mutation UpdateConsent($personalisation: Boolean!) {\n  updateConsent(personalisation: $personalisation) {\n    id\n    consent {\n      personalisation\n      updatedAt\n    }\n  }\n}": types.UpdateConsentDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Categories {\n  categories {\n    id\n    name\n  }\n}"): typeof import('./graphql').CategoriesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ForgetMe {\n  forgetMe {\n    userId\n    events\n    interestProfiles\n    slates\n    reviews\n    jobs\n  }\n}"): typeof import('./graphql').ForgetMeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription LiveRecommendations($slot: RecommendationSlot = HOME) {\n  recommendationsUpdated(slot: $slot) {\n    recommendationId\n    slot\n    personalised\n    items {\n      rank\n      reason\n      explored\n      product {\n        id\n        title\n        price\n        currency\n        imageUrl\n      }\n    }\n  }\n}"): typeof import('./graphql').LiveRecommendationsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Me {\n  me {\n    id\n    email\n    displayName\n    locale\n    consent {\n      personalisation\n      updatedAt\n    }\n  }\n}"): typeof import('./graphql').MeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query MyPage($events: Int = 10) {\n  me {\n    id\n    displayName\n    email\n    consent {\n      personalisation\n      updatedAt\n    }\n    behaviourSummary {\n      personalisation\n      profileUpdatedAt\n      interests {\n        label\n        weight\n        signals\n        topKeywords\n        topCategories {\n          weight\n          category {\n            id\n            name\n          }\n        }\n      }\n      removedInterests {\n        label\n        removedAt\n      }\n      signals {\n        window\n        since\n        lastAt\n        passedOver\n        events {\n          type\n          count\n        }\n      }\n      segment {\n        segment\n        summary\n      }\n    }\n    recentEvents(first: $events) {\n      id\n      type\n      query\n      occurredAt\n      product {\n        id\n        title\n      }\n    }\n  }\n}"): typeof import('./graphql').MyPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ProductPage($id: ID!, $reviews: Int = 10, $after: String) {\n  product(id: $id) {\n    id\n    sku\n    title\n    description\n    brand\n    price\n    currency\n    tags\n    imageUrl\n    category {\n      id\n      name\n    }\n    ratingSummary {\n      average\n      count\n    }\n    reviews(first: $reviews, after: $after) {\n      nodes {\n        id\n        rating\n        text\n        language\n        createdAt\n        author {\n          id\n          displayName\n        }\n        analysis {\n          status\n          sentiment {\n            label\n            score\n          }\n          aspects {\n            aspect\n            sentiment\n            clause\n          }\n          keywords\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      totalCount\n    }\n  }\n}"): typeof import('./graphql').ProductPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Products($filter: ProductFilter, $first: Int = 20, $after: String) {\n  products(filter: $filter, first: $first, after: $after) {\n    nodes {\n      id\n      title\n      price\n      currency\n      imageUrl\n      category {\n        id\n        name\n      }\n      ratingSummary {\n        average\n        count\n      }\n    }\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    totalCount\n  }\n}"): typeof import('./graphql').ProductsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Recommendations($slot: RecommendationSlot! = HOME, $first: Int! = 10, $excludeIds: [ID!]) {\n  recommendations(slot: $slot, first: $first, excludeIds: $excludeIds) {\n    recommendationId\n    slot\n    personalised\n    items {\n      rank\n      reason\n      explored\n      product {\n        id\n        title\n        price\n        currency\n        imageUrl\n      }\n    }\n  }\n}"): typeof import('./graphql').RecommendationsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RefreshSession($refreshToken: String!) {\n  refreshSession(refreshToken: $refreshToken) {\n    token\n    expiresAt\n    refreshToken\n    refreshExpiresAt\n    user {\n      id\n      displayName\n    }\n  }\n}"): typeof import('./graphql').RefreshSessionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RemoveInterest($index: Int!) {\n  removeInterest(index: $index) {\n    interests {\n      label\n    }\n    removedInterests {\n      label\n      removedAt\n    }\n  }\n}"): typeof import('./graphql').RemoveInterestDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query Search($text: String!, $first: Int = 20, $mode: SearchMode = HYBRID) {\n  searchProducts(text: $text, first: $first, mode: $mode) {\n    score\n    matchedBy\n    product {\n      id\n      title\n      price\n      currency\n      imageUrl\n    }\n  }\n}"): typeof import('./graphql').SearchDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SignIn($email: String!, $password: String!) {\n  signIn(email: $email, password: $password) {\n    token\n    expiresAt\n    refreshToken\n    refreshExpiresAt\n    user {\n      id\n      displayName\n    }\n  }\n}"): typeof import('./graphql').SignInDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SignOut {\n  signOut\n}"): typeof import('./graphql').SignOutDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SignUp($input: SignUpInput!) {\n  signUp(input: $input) {\n    token\n    expiresAt\n    refreshToken\n    refreshExpiresAt\n    user {\n      id\n      displayName\n    }\n  }\n}"): typeof import('./graphql').SignUpDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation SubmitReview($input: SubmitReviewInput!) {\n  submitReview(input: $input) {\n    id\n    rating\n    text\n    createdAt\n  }\n}"): typeof import('./graphql').SubmitReviewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation TrackEvents($events: [TrackEventInput!]!) {\n  trackEvents(events: $events) {\n    accepted\n    duplicates\n  }\n}"): typeof import('./graphql').TrackEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation UpdateConsent($personalisation: Boolean!) {\n  updateConsent(personalisation: $personalisation) {\n    id\n    consent {\n      personalisation\n      updatedAt\n    }\n  }\n}"): typeof import('./graphql').UpdateConsentDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
