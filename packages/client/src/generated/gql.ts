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
    "query ConsoleAnalytics($from: DateTimeISO!, $to: DateTimeISO!, $categoryId: ID, $privacy: PrivacyInput) {\n  behaviourFunnel(\n    from: $from\n    to: $to\n    categoryId: $categoryId\n    privacy: $privacy\n  ) {\n    steps {\n      type\n      events\n      shoppers\n      reached\n      conversion\n      overallConversion\n    }\n    privacy {\n      mechanism\n      epsilon\n      delta\n      scale\n      budgetRemaining\n    }\n  }\n  activityPatterns(\n    from: $from\n    to: $to\n    categoryId: $categoryId\n    privacy: $privacy\n  ) {\n    byHour {\n      hour\n      events\n    }\n    byWeekday {\n      weekday\n      events\n    }\n    privacy {\n      mechanism\n      epsilon\n      delta\n      scale\n      budgetRemaining\n    }\n  }\n  sessionStatistics(from: $from, to: $to, privacy: $privacy) {\n    sessions\n    meanEventsPerSession\n    medianEventsPerSession\n    meanDurationSeconds\n    medianDurationSeconds\n    bounceRate\n    sessionsWithPurchase\n    privacy {\n      mechanism\n      epsilon\n      delta\n      scale\n      budgetRemaining\n    }\n  }\n}": typeof types.ConsoleAnalyticsDocument,
    "query ConsoleAudience($text: String!, $limit: Int!) {\n  audience(text: $text, limit: $limit) {\n    target\n    size\n    expectedReach\n    segments {\n      segment\n      label\n      size\n      inAudience\n      index\n      responseRate\n      expectedResponders\n    }\n  }\n}": typeof types.ConsoleAudienceDocument,
    "query ConsoleCategories {\n  categories {\n    id\n    name\n    productCount\n    children {\n      id\n      name\n      productCount\n      children {\n        id\n        name\n        productCount\n      }\n    }\n  }\n}": typeof types.ConsoleCategoriesDocument,
    "mutation ConsoleCreateCategory($input: CreateCategoryInput!) {\n  createCategory(input: $input) {\n    id\n    name\n    slug\n  }\n}": typeof types.ConsoleCreateCategoryDocument,
    "mutation ConsoleCreateExperiment($input: CreateExperimentInput!) {\n  createExperiment(input: $input) {\n    id\n    name\n    status\n  }\n}": typeof types.ConsoleCreateExperimentDocument,
    "mutation ConsoleCreateProduct($input: CreateProductInput!) {\n  createProduct(input: $input) {\n    id\n    title\n  }\n}": typeof types.ConsoleCreateProductDocument,
    "query ConsoleExperimentResults($id: ID!, $confidence: Float! = 0.95) {\n  experimentResults(id: $id, confidence: $confidence) {\n    computedAt\n    confidence\n    verdict\n    experiment {\n      id\n      name\n      slot\n      status\n      allocation\n      primaryMetric\n      targetSegment\n      startedAt\n      stoppedAt\n    }\n    winner {\n      index\n      name\n    }\n    sampleRatio {\n      observed\n      expected\n      chiSquare\n      pValue\n      mismatch\n    }\n    arms {\n      arm {\n        index\n        name\n        policy\n        exploration\n        diversity\n        share\n      }\n      shoppers\n      slates\n      impressions\n      clicks\n      purchases\n      revenue\n      trafficShare\n      ctr {\n        value\n        standardError\n        lower\n        upper\n      }\n      conversion {\n        value\n        standardError\n        lower\n        upper\n      }\n      revenuePerShopper {\n        value\n        standardError\n        lower\n        upper\n      }\n      comparisons {\n        metric\n        difference\n        relativeLift\n        lower\n        upper\n        pValue\n        adjustedPValue\n        significant\n      }\n      guardrails {\n        guardrail\n        value\n        standardError\n        breached\n      }\n    }\n  }\n}": typeof types.ConsoleExperimentResultsDocument,
    "query ConsoleExperiments($status: ExperimentStatus) {\n  experiments(status: $status) {\n    id\n    name\n    slot\n    status\n    allocation\n    primaryMetric\n    targetSegment\n    createdAt\n    startedAt\n    stoppedAt\n    arms {\n      index\n      name\n      policy\n      exploration\n      diversity\n      share\n      sequenceModelVersion\n    }\n  }\n}": typeof types.ConsoleExperimentsDocument,
    "query ConsoleFeedbackInsights($categoryId: ID!) {\n  feedbackInsights(categoryId: $categoryId) {\n    categoryId\n    reviewsSummarised\n    topicsFittedAt\n    summary {\n      ratingAverage\n      ratingCount\n      analysedCount\n      flaggedCount\n      sentiment {\n        positive\n        neutral\n        negative\n      }\n      topKeywords {\n        term\n        weight\n        reviews\n      }\n      aspects {\n        name\n        count\n        reviews\n        score\n        sentiment {\n          positive\n          neutral\n          negative\n        }\n        examples {\n          reviewId\n          text\n          sentiment\n        }\n      }\n      suggestions {\n        text\n        evidenceCount\n        complaints\n        negativeShare\n        baselineShare\n        pValue\n        aspect\n        topic\n        examples {\n          reviewId\n          text\n          sentiment\n        }\n      }\n    }\n    topics {\n      topic\n      label\n      polarity\n      size\n      coherence\n      sentiment {\n        positive\n        neutral\n        negative\n      }\n      keywords {\n        term\n        weight\n      }\n    }\n    mostCriticised {\n      productId\n      reviews\n      negativeShare\n    }\n  }\n}": typeof types.ConsoleFeedbackInsightsDocument,
    "query ConsoleJobQueues {\n  jobQueues(failedFirst: 20) {\n    name\n    waiting\n    active\n    delayed\n    failed\n    completed\n    paused\n    failedJobs {\n      id\n      name\n      failedReason\n      attemptsMade\n      addedAt\n      failedAt\n    }\n  }\n}": typeof types.ConsoleJobQueuesDocument,
    "query ConsoleMe {\n  me {\n    id\n    email\n    displayName\n    roles\n  }\n}": typeof types.ConsoleMeDocument,
    "query ConsolePrivacyBudget {\n  privacyBudget {\n    analystId\n    total\n    spent\n    remaining\n    totalDelta\n    remainingDelta\n    platform {\n      periodEnd\n      total\n      spent\n      remaining\n    }\n  }\n}": typeof types.ConsolePrivacyBudgetDocument,
    "query ConsoleProducts($categoryId: ID, $first: Int!, $after: String) {\n  products(filter: {categoryId: $categoryId}, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      id\n      sku\n      title\n      description\n      brand\n      price\n      currency\n      tags\n      imageUrl\n      updatedAt\n      category {\n        id\n        name\n      }\n    }\n  }\n}": typeof types.ConsoleProductsDocument,
    "mutation ConsoleRetryFailedJob($queue: String!, $jobId: ID!) {\n  retryFailedJob(queue: $queue, jobId: $jobId)\n}": typeof types.ConsoleRetryFailedJobDocument,
    "query ConsoleShopperSegments {\n  shopperSegments {\n    fittedAt\n    shoppers\n    k\n    silhouette\n    stability\n    segments {\n      segment\n      label\n      summary\n      size\n      share\n      conversion\n      eventsPerShopper\n      purchasesPerShopper\n      activeHours\n      topKeywords\n      topCategories {\n        share\n        category {\n          id\n          name\n        }\n      }\n      differences {\n        feature\n        segment\n        others\n        effect\n      }\n    }\n  }\n}": typeof types.ConsoleShopperSegmentsDocument,
    "mutation ConsoleStartExperiment($id: ID!) {\n  startExperiment(id: $id) {\n    id\n    status\n    startedAt\n  }\n}": typeof types.ConsoleStartExperimentDocument,
    "mutation ConsoleStopExperiment($id: ID!) {\n  stopExperiment(id: $id) {\n    id\n    status\n    stoppedAt\n  }\n}": typeof types.ConsoleStopExperimentDocument,
    "mutation ConsoleUpdateProduct($id: ID!, $input: UpdateProductInput!) {\n  updateProduct(id: $id, input: $input) {\n    id\n    title\n    price\n    updatedAt\n  }\n}": typeof types.ConsoleUpdateProductDocument,
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
    "query ConsoleAnalytics($from: DateTimeISO!, $to: DateTimeISO!, $categoryId: ID, $privacy: PrivacyInput) {\n  behaviourFunnel(\n    from: $from\n    to: $to\n    categoryId: $categoryId\n    privacy: $privacy\n  ) {\n    steps {\n      type\n      events\n      shoppers\n      reached\n      conversion\n      overallConversion\n    }\n    privacy {\n      mechanism\n      epsilon\n      delta\n      scale\n      budgetRemaining\n    }\n  }\n  activityPatterns(\n    from: $from\n    to: $to\n    categoryId: $categoryId\n    privacy: $privacy\n  ) {\n    byHour {\n      hour\n      events\n    }\n    byWeekday {\n      weekday\n      events\n    }\n    privacy {\n      mechanism\n      epsilon\n      delta\n      scale\n      budgetRemaining\n    }\n  }\n  sessionStatistics(from: $from, to: $to, privacy: $privacy) {\n    sessions\n    meanEventsPerSession\n    medianEventsPerSession\n    meanDurationSeconds\n    medianDurationSeconds\n    bounceRate\n    sessionsWithPurchase\n    privacy {\n      mechanism\n      epsilon\n      delta\n      scale\n      budgetRemaining\n    }\n  }\n}": types.ConsoleAnalyticsDocument,
    "query ConsoleAudience($text: String!, $limit: Int!) {\n  audience(text: $text, limit: $limit) {\n    target\n    size\n    expectedReach\n    segments {\n      segment\n      label\n      size\n      inAudience\n      index\n      responseRate\n      expectedResponders\n    }\n  }\n}": types.ConsoleAudienceDocument,
    "query ConsoleCategories {\n  categories {\n    id\n    name\n    productCount\n    children {\n      id\n      name\n      productCount\n      children {\n        id\n        name\n        productCount\n      }\n    }\n  }\n}": types.ConsoleCategoriesDocument,
    "mutation ConsoleCreateCategory($input: CreateCategoryInput!) {\n  createCategory(input: $input) {\n    id\n    name\n    slug\n  }\n}": types.ConsoleCreateCategoryDocument,
    "mutation ConsoleCreateExperiment($input: CreateExperimentInput!) {\n  createExperiment(input: $input) {\n    id\n    name\n    status\n  }\n}": types.ConsoleCreateExperimentDocument,
    "mutation ConsoleCreateProduct($input: CreateProductInput!) {\n  createProduct(input: $input) {\n    id\n    title\n  }\n}": types.ConsoleCreateProductDocument,
    "query ConsoleExperimentResults($id: ID!, $confidence: Float! = 0.95) {\n  experimentResults(id: $id, confidence: $confidence) {\n    computedAt\n    confidence\n    verdict\n    experiment {\n      id\n      name\n      slot\n      status\n      allocation\n      primaryMetric\n      targetSegment\n      startedAt\n      stoppedAt\n    }\n    winner {\n      index\n      name\n    }\n    sampleRatio {\n      observed\n      expected\n      chiSquare\n      pValue\n      mismatch\n    }\n    arms {\n      arm {\n        index\n        name\n        policy\n        exploration\n        diversity\n        share\n      }\n      shoppers\n      slates\n      impressions\n      clicks\n      purchases\n      revenue\n      trafficShare\n      ctr {\n        value\n        standardError\n        lower\n        upper\n      }\n      conversion {\n        value\n        standardError\n        lower\n        upper\n      }\n      revenuePerShopper {\n        value\n        standardError\n        lower\n        upper\n      }\n      comparisons {\n        metric\n        difference\n        relativeLift\n        lower\n        upper\n        pValue\n        adjustedPValue\n        significant\n      }\n      guardrails {\n        guardrail\n        value\n        standardError\n        breached\n      }\n    }\n  }\n}": types.ConsoleExperimentResultsDocument,
    "query ConsoleExperiments($status: ExperimentStatus) {\n  experiments(status: $status) {\n    id\n    name\n    slot\n    status\n    allocation\n    primaryMetric\n    targetSegment\n    createdAt\n    startedAt\n    stoppedAt\n    arms {\n      index\n      name\n      policy\n      exploration\n      diversity\n      share\n      sequenceModelVersion\n    }\n  }\n}": types.ConsoleExperimentsDocument,
    "query ConsoleFeedbackInsights($categoryId: ID!) {\n  feedbackInsights(categoryId: $categoryId) {\n    categoryId\n    reviewsSummarised\n    topicsFittedAt\n    summary {\n      ratingAverage\n      ratingCount\n      analysedCount\n      flaggedCount\n      sentiment {\n        positive\n        neutral\n        negative\n      }\n      topKeywords {\n        term\n        weight\n        reviews\n      }\n      aspects {\n        name\n        count\n        reviews\n        score\n        sentiment {\n          positive\n          neutral\n          negative\n        }\n        examples {\n          reviewId\n          text\n          sentiment\n        }\n      }\n      suggestions {\n        text\n        evidenceCount\n        complaints\n        negativeShare\n        baselineShare\n        pValue\n        aspect\n        topic\n        examples {\n          reviewId\n          text\n          sentiment\n        }\n      }\n    }\n    topics {\n      topic\n      label\n      polarity\n      size\n      coherence\n      sentiment {\n        positive\n        neutral\n        negative\n      }\n      keywords {\n        term\n        weight\n      }\n    }\n    mostCriticised {\n      productId\n      reviews\n      negativeShare\n    }\n  }\n}": types.ConsoleFeedbackInsightsDocument,
    "query ConsoleJobQueues {\n  jobQueues(failedFirst: 20) {\n    name\n    waiting\n    active\n    delayed\n    failed\n    completed\n    paused\n    failedJobs {\n      id\n      name\n      failedReason\n      attemptsMade\n      addedAt\n      failedAt\n    }\n  }\n}": types.ConsoleJobQueuesDocument,
    "query ConsoleMe {\n  me {\n    id\n    email\n    displayName\n    roles\n  }\n}": types.ConsoleMeDocument,
    "query ConsolePrivacyBudget {\n  privacyBudget {\n    analystId\n    total\n    spent\n    remaining\n    totalDelta\n    remainingDelta\n    platform {\n      periodEnd\n      total\n      spent\n      remaining\n    }\n  }\n}": types.ConsolePrivacyBudgetDocument,
    "query ConsoleProducts($categoryId: ID, $first: Int!, $after: String) {\n  products(filter: {categoryId: $categoryId}, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      id\n      sku\n      title\n      description\n      brand\n      price\n      currency\n      tags\n      imageUrl\n      updatedAt\n      category {\n        id\n        name\n      }\n    }\n  }\n}": types.ConsoleProductsDocument,
    "mutation ConsoleRetryFailedJob($queue: String!, $jobId: ID!) {\n  retryFailedJob(queue: $queue, jobId: $jobId)\n}": types.ConsoleRetryFailedJobDocument,
    "query ConsoleShopperSegments {\n  shopperSegments {\n    fittedAt\n    shoppers\n    k\n    silhouette\n    stability\n    segments {\n      segment\n      label\n      summary\n      size\n      share\n      conversion\n      eventsPerShopper\n      purchasesPerShopper\n      activeHours\n      topKeywords\n      topCategories {\n        share\n        category {\n          id\n          name\n        }\n      }\n      differences {\n        feature\n        segment\n        others\n        effect\n      }\n    }\n  }\n}": types.ConsoleShopperSegmentsDocument,
    "mutation ConsoleStartExperiment($id: ID!) {\n  startExperiment(id: $id) {\n    id\n    status\n    startedAt\n  }\n}": types.ConsoleStartExperimentDocument,
    "mutation ConsoleStopExperiment($id: ID!) {\n  stopExperiment(id: $id) {\n    id\n    status\n    stoppedAt\n  }\n}": types.ConsoleStopExperimentDocument,
    "mutation ConsoleUpdateProduct($id: ID!, $input: UpdateProductInput!) {\n  updateProduct(id: $id, input: $input) {\n    id\n    title\n    price\n    updatedAt\n  }\n}": types.ConsoleUpdateProductDocument,
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
export function graphql(source: "query ConsoleAnalytics($from: DateTimeISO!, $to: DateTimeISO!, $categoryId: ID, $privacy: PrivacyInput) {\n  behaviourFunnel(\n    from: $from\n    to: $to\n    categoryId: $categoryId\n    privacy: $privacy\n  ) {\n    steps {\n      type\n      events\n      shoppers\n      reached\n      conversion\n      overallConversion\n    }\n    privacy {\n      mechanism\n      epsilon\n      delta\n      scale\n      budgetRemaining\n    }\n  }\n  activityPatterns(\n    from: $from\n    to: $to\n    categoryId: $categoryId\n    privacy: $privacy\n  ) {\n    byHour {\n      hour\n      events\n    }\n    byWeekday {\n      weekday\n      events\n    }\n    privacy {\n      mechanism\n      epsilon\n      delta\n      scale\n      budgetRemaining\n    }\n  }\n  sessionStatistics(from: $from, to: $to, privacy: $privacy) {\n    sessions\n    meanEventsPerSession\n    medianEventsPerSession\n    meanDurationSeconds\n    medianDurationSeconds\n    bounceRate\n    sessionsWithPurchase\n    privacy {\n      mechanism\n      epsilon\n      delta\n      scale\n      budgetRemaining\n    }\n  }\n}"): typeof import('./graphql').ConsoleAnalyticsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ConsoleAudience($text: String!, $limit: Int!) {\n  audience(text: $text, limit: $limit) {\n    target\n    size\n    expectedReach\n    segments {\n      segment\n      label\n      size\n      inAudience\n      index\n      responseRate\n      expectedResponders\n    }\n  }\n}"): typeof import('./graphql').ConsoleAudienceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ConsoleCategories {\n  categories {\n    id\n    name\n    productCount\n    children {\n      id\n      name\n      productCount\n      children {\n        id\n        name\n        productCount\n      }\n    }\n  }\n}"): typeof import('./graphql').ConsoleCategoriesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ConsoleCreateCategory($input: CreateCategoryInput!) {\n  createCategory(input: $input) {\n    id\n    name\n    slug\n  }\n}"): typeof import('./graphql').ConsoleCreateCategoryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ConsoleCreateExperiment($input: CreateExperimentInput!) {\n  createExperiment(input: $input) {\n    id\n    name\n    status\n  }\n}"): typeof import('./graphql').ConsoleCreateExperimentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ConsoleCreateProduct($input: CreateProductInput!) {\n  createProduct(input: $input) {\n    id\n    title\n  }\n}"): typeof import('./graphql').ConsoleCreateProductDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ConsoleExperimentResults($id: ID!, $confidence: Float! = 0.95) {\n  experimentResults(id: $id, confidence: $confidence) {\n    computedAt\n    confidence\n    verdict\n    experiment {\n      id\n      name\n      slot\n      status\n      allocation\n      primaryMetric\n      targetSegment\n      startedAt\n      stoppedAt\n    }\n    winner {\n      index\n      name\n    }\n    sampleRatio {\n      observed\n      expected\n      chiSquare\n      pValue\n      mismatch\n    }\n    arms {\n      arm {\n        index\n        name\n        policy\n        exploration\n        diversity\n        share\n      }\n      shoppers\n      slates\n      impressions\n      clicks\n      purchases\n      revenue\n      trafficShare\n      ctr {\n        value\n        standardError\n        lower\n        upper\n      }\n      conversion {\n        value\n        standardError\n        lower\n        upper\n      }\n      revenuePerShopper {\n        value\n        standardError\n        lower\n        upper\n      }\n      comparisons {\n        metric\n        difference\n        relativeLift\n        lower\n        upper\n        pValue\n        adjustedPValue\n        significant\n      }\n      guardrails {\n        guardrail\n        value\n        standardError\n        breached\n      }\n    }\n  }\n}"): typeof import('./graphql').ConsoleExperimentResultsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ConsoleExperiments($status: ExperimentStatus) {\n  experiments(status: $status) {\n    id\n    name\n    slot\n    status\n    allocation\n    primaryMetric\n    targetSegment\n    createdAt\n    startedAt\n    stoppedAt\n    arms {\n      index\n      name\n      policy\n      exploration\n      diversity\n      share\n      sequenceModelVersion\n    }\n  }\n}"): typeof import('./graphql').ConsoleExperimentsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ConsoleFeedbackInsights($categoryId: ID!) {\n  feedbackInsights(categoryId: $categoryId) {\n    categoryId\n    reviewsSummarised\n    topicsFittedAt\n    summary {\n      ratingAverage\n      ratingCount\n      analysedCount\n      flaggedCount\n      sentiment {\n        positive\n        neutral\n        negative\n      }\n      topKeywords {\n        term\n        weight\n        reviews\n      }\n      aspects {\n        name\n        count\n        reviews\n        score\n        sentiment {\n          positive\n          neutral\n          negative\n        }\n        examples {\n          reviewId\n          text\n          sentiment\n        }\n      }\n      suggestions {\n        text\n        evidenceCount\n        complaints\n        negativeShare\n        baselineShare\n        pValue\n        aspect\n        topic\n        examples {\n          reviewId\n          text\n          sentiment\n        }\n      }\n    }\n    topics {\n      topic\n      label\n      polarity\n      size\n      coherence\n      sentiment {\n        positive\n        neutral\n        negative\n      }\n      keywords {\n        term\n        weight\n      }\n    }\n    mostCriticised {\n      productId\n      reviews\n      negativeShare\n    }\n  }\n}"): typeof import('./graphql').ConsoleFeedbackInsightsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ConsoleJobQueues {\n  jobQueues(failedFirst: 20) {\n    name\n    waiting\n    active\n    delayed\n    failed\n    completed\n    paused\n    failedJobs {\n      id\n      name\n      failedReason\n      attemptsMade\n      addedAt\n      failedAt\n    }\n  }\n}"): typeof import('./graphql').ConsoleJobQueuesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ConsoleMe {\n  me {\n    id\n    email\n    displayName\n    roles\n  }\n}"): typeof import('./graphql').ConsoleMeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ConsolePrivacyBudget {\n  privacyBudget {\n    analystId\n    total\n    spent\n    remaining\n    totalDelta\n    remainingDelta\n    platform {\n      periodEnd\n      total\n      spent\n      remaining\n    }\n  }\n}"): typeof import('./graphql').ConsolePrivacyBudgetDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ConsoleProducts($categoryId: ID, $first: Int!, $after: String) {\n  products(filter: {categoryId: $categoryId}, first: $first, after: $after) {\n    totalCount\n    pageInfo {\n      hasNextPage\n      endCursor\n    }\n    nodes {\n      id\n      sku\n      title\n      description\n      brand\n      price\n      currency\n      tags\n      imageUrl\n      updatedAt\n      category {\n        id\n        name\n      }\n    }\n  }\n}"): typeof import('./graphql').ConsoleProductsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ConsoleRetryFailedJob($queue: String!, $jobId: ID!) {\n  retryFailedJob(queue: $queue, jobId: $jobId)\n}"): typeof import('./graphql').ConsoleRetryFailedJobDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "query ConsoleShopperSegments {\n  shopperSegments {\n    fittedAt\n    shoppers\n    k\n    silhouette\n    stability\n    segments {\n      segment\n      label\n      summary\n      size\n      share\n      conversion\n      eventsPerShopper\n      purchasesPerShopper\n      activeHours\n      topKeywords\n      topCategories {\n        share\n        category {\n          id\n          name\n        }\n      }\n      differences {\n        feature\n        segment\n        others\n        effect\n      }\n    }\n  }\n}"): typeof import('./graphql').ConsoleShopperSegmentsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ConsoleStartExperiment($id: ID!) {\n  startExperiment(id: $id) {\n    id\n    status\n    startedAt\n  }\n}"): typeof import('./graphql').ConsoleStartExperimentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ConsoleStopExperiment($id: ID!) {\n  stopExperiment(id: $id) {\n    id\n    status\n    stoppedAt\n  }\n}"): typeof import('./graphql').ConsoleStopExperimentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation ConsoleUpdateProduct($id: ID!, $input: UpdateProductInput!) {\n  updateProduct(id: $id, input: $input) {\n    id\n    title\n    price\n    updatedAt\n  }\n}"): typeof import('./graphql').ConsoleUpdateProductDocument;
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
