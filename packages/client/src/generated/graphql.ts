/* eslint-disable */
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** A date-time string at UTC, such as 2007-12-03T10:15:30Z, compliant with the `date-time` format outlined in section 5.6 of the RFC 3339 profile of the ISO 8601 standard for representation of dates and times using the Gregorian calendar.This scalar is serialized to a string in ISO 8601 format and parsed from a string in ISO 8601 format. */
  DateTimeISO: { input: string; output: string; }
};

/** When shoppers are active, in UTC. */
export type ActivityPatterns = {
  /** 24 entries, hour 0 first. */
  byHour: Array<HourActivity>;
  /** 7 entries, Monday first. */
  byWeekday: Array<WeekdayActivity>;
  /** How the figures were noised; null when they are exact. */
  privacy?: Maybe<PrivacyRelease>;
};

export type ActivityTypeCount = {
  events: Scalars['Int']['output'];
  type: EventType;
};

/** Where the worker is with a review. */
export type AnalysisStatus =
  /** Analysed. */
  | 'DONE'
  /** Every attempt failed; the review is stored and shown, unanalysed. */
  | 'FAILED'
  /** Queued (or being retried). */
  | 'PENDING';

/** An arm against the control on one metric: a two-sided z test on shopper-level estimates. */
export type ArmComparison = {
  /** Holm-adjusted over the arms compared with the control. */
  adjustedPValue: Scalars['Float']['output'];
  /** Arm minus control. */
  difference: Scalars['Float']['output'];
  /** Confidence interval of the difference. */
  lower: Scalars['Float']['output'];
  metric: ExperimentMetric;
  pValue: Scalars['Float']['output'];
  /** Difference over the control value; null when the control is 0. */
  relativeLift?: Maybe<Scalars['Float']['output']>;
  /** adjustedPValue below 1 − confidence. */
  significant: Scalars['Boolean']['output'];
  upper: Scalars['Float']['output'];
};

export type ArmResult = {
  arm: ExperimentArm;
  clicks: Scalars['Int']['output'];
  /** Against the control, one per metric; empty for the control. */
  comparisons: Array<ArmComparison>;
  conversion: MetricInterval;
  ctr: MetricInterval;
  guardrails: Array<GuardrailCheck>;
  /** Items shown. */
  impressions: Scalars['Int']['output'];
  purchases: Scalars['Int']['output'];
  revenue: Scalars['Float']['output'];
  revenuePerShopper: MetricInterval;
  /** Shoppers served at least one slate of this arm. */
  shoppers: Scalars['Int']['output'];
  slates: Scalars['Int']['output'];
  /** Share of new shoppers this arm gets now (the configured share, or the adaptive allocation). */
  trafficShare: Scalars['Float']['output'];
};

export type AspectSummary = {
  /** Clauses that name the aspect. */
  count: Scalars['Int']['output'];
  examples: Array<ReviewQuote>;
  name: ReviewAspect;
  /** Reviews that name the aspect. */
  reviews: Scalars['Int']['output'];
  /** Positive share minus negative share, from -1 to 1. */
  score: Scalars['Float']['output'];
  /** Sentiment of those clauses. */
  sentiment: SentimentShare;
};

/** The consenting shoppers most likely to respond to a product, a brand or a text, for a campaign. */
export type Audience = {
  /** Sum of the shoppers' probabilities: responders to expect, a conservative estimate (docs/behaviour.md). */
  expectedReach: Scalars['Float']['output'];
  /** Segments with members among the scored shoppers, highest index first. */
  segments: Array<AudienceSegment>;
  /** Best first. */
  shoppers: Array<AudienceShopper>;
  /** Shoppers in the audience (at most limit). */
  size: Scalars['Int']['output'];
  /** What the audience is for, e.g. "product 42", "brand Acme (12 products)", "text \"red shoes\" (20 products)". */
  target: Scalars['String']['output'];
};

/** A shopper segment as the audience sees it. */
export type AudienceSegment = {
  /** responseRate × size: responders if the whole segment were targeted. */
  expectedResponders: Scalars['Float']['output'];
  /** Its members in the audience. */
  inAudience: Scalars['Int']['output'];
  /** 100 × its share of the audience / its share of the scored shoppers: 100 is no different from everyone. */
  index: Scalars['Float']['output'];
  /** The segment's label at the last refit; empty when the refit had none. */
  label: Scalars['String']['output'];
  /** Members who had an event on a target product / size (smoothed by half a shopper over one more). */
  responseRate: Scalars['Float']['output'];
  segment: Scalars['Int']['output'];
  /** Its members among the scored shoppers. */
  size: Scalars['Int']['output'];
};

export type AudienceShopper = {
  /** Estimated chance of responding: the shopper's segment's response rate (the overall rate without a segment). */
  probability: Scalars['Float']['output'];
  /** Weighted sum of the signals (docs/behaviour.md); comparable only within one audience. */
  score: Scalars['Float']['output'];
  user: User;
};

/** A session: a short-lived access token for requests, and a refresh token that trades for new ones (refreshSession) until the session ends. */
export type AuthPayload = {
  expiresAt: Scalars['DateTimeISO']['output'];
  /** When the session ends unless refreshed before. */
  refreshExpiresAt: Scalars['DateTimeISO']['output'];
  /** Keep it secret (not in URLs or logs). Each refreshSession replaces it; using a replaced one again ends the session. */
  refreshToken: Scalars['String']['output'];
  /** Send as `Authorization: Bearer <token>`. Refused once expired or revoked (UNAUTHENTICATED): refresh it then. */
  token: Scalars['String']['output'];
  user: User;
};

/** A slate policy: how it trades exploiting the ranking for exploring. */
export type BanditPolicy =
  | 'EPSILON_GREEDY'
  | 'LINUCB'
  | 'THOMPSON';

/** Something a shopper did, as recorded by trackEvents. */
export type BehaviourEvent = {
  clientEventId: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  occurredAt: Scalars['DateTimeISO']['output'];
  /** Null for SEARCH events. */
  product?: Maybe<Product>;
  query?: Maybe<Scalars['String']['output']>;
  sessionId: Scalars['String']['output'];
  type: EventType;
};

export type BehaviourFunnel = {
  /** How the figures were noised; null when they are exact. */
  privacy?: Maybe<PrivacyRelease>;
  /** VIEW, CART, PURCHASE. */
  steps: Array<FunnelStep>;
};

/** The behaviour the interests are recognised from. */
export type BehaviourSignals = {
  /** Events read, by type (the newest events only, see `window`). */
  events: Array<SignalCount>;
  /** The newest event. */
  lastAt?: Maybe<Scalars['DateTimeISO']['output']>;
  /** Recommended products shown in three different hours and never clicked: they count against similar products. */
  passedOver: Scalars['Int']['output'];
  /** The oldest event read. */
  since?: Maybe<Scalars['DateTimeISO']['output']>;
  /** How many of the newest events recognition reads. */
  window: Scalars['Int']['output'];
};

/** What Serendip believes about the shopper, and the signals behind it. */
export type BehaviourSummary = {
  /** Strongest first; remove one with removeInterest(index). */
  interests: Array<Interest>;
  /** Personalisation consent as enforced; without it there are no interests and no profile. */
  personalisation: Scalars['Boolean']['output'];
  /** When the interests were last recognised. */
  profileUpdatedAt?: Maybe<Scalars['DateTimeISO']['output']>;
  /** Newest first. */
  removedInterests: Array<RemovedInterest>;
  /** The segment the shopper was placed in at the last refit. */
  segment?: Maybe<ShopperSegment>;
  signals: BehaviourSignals;
};

/** A node of the product taxonomy. */
export type Category = {
  /** Direct children, by name. */
  children: Array<Category>;
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  parent?: Maybe<Category>;
  /** From the root down to this category itself. */
  path: Array<Category>;
  /** Products in this category and all of its descendants. */
  productCount: Scalars['Int']['output'];
  /** Unique; the parent slug and this name, e.g. `electronics/phones`. */
  slug: Scalars['String']['output'];
};

/** How shoppers engaged with one category's products over a period. */
export type CategoryAffinity = {
  /** Shoppers who bought in the category. */
  buyers: Scalars['Int']['output'];
  category: Category;
  /** buyers / shoppers. */
  conversion: Scalars['Float']['output'];
  events: Scalars['Int']['output'];
  /** conversion / overallConversion: how much likelier its shoppers are to buy here than the average shopper is to buy at all; null when nobody bought. */
  lift?: Maybe<Scalars['Float']['output']>;
  /** PURCHASE events. */
  purchases: Scalars['Int']['output'];
  /** shoppers / all shoppers with an event on any categorised product. */
  shareOfShoppers: Scalars['Float']['output'];
  /** Shoppers with an event on the category's products. */
  shoppers: Scalars['Int']['output'];
};

/** Categories with the most shoppers first, then by category id. */
export type CategoryAffinityConnection = {
  nodes: Array<CategoryAffinity>;
  /** Of those, the share who bought anything; null without shoppers. */
  overallConversion?: Maybe<Scalars['Float']['output']>;
  pageInfo: PageInfo;
  /** Categories with events in the period, across all pages. */
  totalCount: Scalars['Int']['output'];
  /** Shoppers with an event on any categorised product. */
  totalShoppers: Scalars['Int']['output'];
};

/** One of a category's review topics. */
export type CategoryTopic = {
  /** NPMI coherence of its top ten keywords over the category's reviews, −1..1; null with fewer than two keywords. */
  coherence?: Maybe<Scalars['Float']['output']>;
  /** The words that set the topic apart, best first. */
  keywords: Array<FeedbackKeyword>;
  label: Scalars['String']['output'];
  /** `negative`, `neutral` or `positive`: the sentiment of the reviews the topic was found in; null when the category model is not known. */
  polarity?: Maybe<Scalars['String']['output']>;
  sentiment: SentimentShare;
  /** Analysed reviews in the topic (of this product, or of the category). */
  size: Scalars['Int']['output'];
  /** The topic's index in its category. */
  topic: Scalars['Int']['output'];
};

/** What the shopper allows Serendip to do with their behaviour. */
export type Consent = {
  /** Personalised recommendations and an interest profile. */
  personalisation: Scalars['Boolean']['output'];
  updatedAt: Scalars['DateTimeISO']['output'];
};

export type CreateCategoryInput = {
  /** 1 to 100 characters; unique among its siblings. */
  name: Scalars['String']['input'];
  /** Omit for a root category. */
  parentId?: InputMaybe<Scalars['ID']['input']>;
};

export type CreateExperimentInput = {
  allocation?: ExperimentAllocation;
  /** Two to eight arms; the first is the control the others are compared with. */
  arms: Array<ExperimentArmInput>;
  /** Unique, 1 to 100 characters. */
  name: Scalars['String']['input'];
  /** The metric that names a winner (and that ADAPTIVE allocation optimises). */
  primaryMetric?: ExperimentMetric;
  slot: RecommendationSlot;
  /** Enrol only shoppers of this segment (shopperSegments), as of their first slate. */
  targetSegment?: InputMaybe<Scalars['Int']['input']>;
};

export type CreateProductInput = {
  /** Up to 200 characters; blank means none. */
  brand?: InputMaybe<Scalars['String']['input']>;
  categoryId: Scalars['ID']['input'];
  /** ISO 4217 code: three upper-case letters. */
  currency?: InputMaybe<Scalars['String']['input']>;
  /** Up to 20000 characters. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** An http or https URL. */
  imageUrl?: InputMaybe<Scalars['String']['input']>;
  /** At least 0, at most two decimals. */
  price: Scalars['Float']['input'];
  /** 1 to 64 characters without spaces; unique. */
  sku: Scalars['String']['input'];
  /** At most 30 tags of 1 to 50 characters. */
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  /** 1 to 500 characters. */
  title: Scalars['String']['input'];
};

/** What a shopper did. Every type except SEARCH is about one product. */
export type EventType =
  /** Added a product to the cart. */
  | 'CART'
  /** Clicked a product in a list, for instance a recommendation or a search result. */
  | 'CLICK'
  /** Bought a product. */
  | 'PURCHASE'
  /** Ran a search; carries the query instead of a product. */
  | 'SEARCH'
  /** Opened a product page. */
  | 'VIEW';

/** An A/B test of slate policies on one slot. Admins only. */
export type Experiment = {
  allocation: ExperimentAllocation;
  arms: Array<ExperimentArm>;
  createdAt: Scalars['DateTimeISO']['output'];
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  primaryMetric: ExperimentMetric;
  slot: RecommendationSlot;
  startedAt?: Maybe<Scalars['DateTimeISO']['output']>;
  status: ExperimentStatus;
  stoppedAt?: Maybe<Scalars['DateTimeISO']['output']>;
  targetSegment?: Maybe<Scalars['Int']['output']>;
};

export type ExperimentAllocation =
  /** New shoppers go to each arm with its Thompson-sampling probability of being best on the primary metric (every arm keeps a floor share); each assignment logs its probability, and results are weighted by it. */
  | 'ADAPTIVE'
  /** New shoppers are split by the arms' traffic shares. */
  | 'FIXED';

export type ExperimentArm = {
  diversity: Scalars['Float']['output'];
  exploration: Scalars['Float']['output'];
  /** 0 is the control. */
  index: Scalars['Int']['output'];
  name: Scalars['String']['output'];
  policy: BanditPolicy;
  /** The sequence model version pinned for this arm; null: the serving version. */
  sequenceModelVersion?: Maybe<Scalars['String']['output']>;
  /** Configured traffic share (FIXED), normalised. */
  share: Scalars['Float']['output'];
};

export type ExperimentArmInput = {
  /** MMR λ in [0, 1] (1 ignores diversity); the serving default 0.8 when omitted. */
  diversity?: InputMaybe<Scalars['Float']['input']>;
  /** Exploration strength in [0, 1]: 0 exploits only. */
  exploration: Scalars['Float']['input'];
  /** Unique within the experiment, 1 to 40 characters. */
  name: Scalars['String']['input'];
  policy: BanditPolicy;
  /** The sequence model version this arm's slates use (sequenceModelVersions lists them), so two versions can be compared side by side; the serving version, following each retrain, when omitted. */
  sequenceModelVersion?: InputMaybe<Scalars['String']['input']>;
  /** Traffic share (FIXED allocation); shares are normalised, equal when all are omitted. */
  share?: InputMaybe<Scalars['Float']['input']>;
};

export type ExperimentMetric =
  /** Share of exposed shoppers with a purchase from a slate of the experiment. */
  | 'CONVERSION'
  /** Clicks per item shown. */
  | 'CTR'
  /** Value of purchases from slates of the experiment per exposed shopper. */
  | 'REVENUE_PER_SHOPPER';

export type ExperimentResults = {
  arms: Array<ArmResult>;
  computedAt: Scalars['DateTimeISO']['output'];
  confidence: Scalars['Float']['output'];
  experiment: Experiment;
  /** Null for ADAPTIVE allocation, whose split moves on purpose. */
  sampleRatio?: Maybe<SampleRatioCheck>;
  /** The reading of these results in one sentence. */
  verdict: Scalars['String']['output'];
  /** The arm significantly best on the primary metric without breaching a guardrail; null while no arm is. */
  winner?: Maybe<ExperimentArm>;
};

export type ExperimentStatus =
  /** Defined; serves nobody yet. */
  | 'DRAFT'
  /** Enrols shoppers and serves its arms. */
  | 'RUNNING'
  /** Over for good; its results stay readable. */
  | 'STOPPED';

/** A job whose every attempt failed, with why: what an operator reads before retrying it. */
export type FailedJob = {
  /** When it was added. */
  addedAt: Scalars['DateTimeISO']['output'];
  attemptsMade: Scalars['Int']['output'];
  /** When it failed for good. */
  failedAt?: Maybe<Scalars['DateTimeISO']['output']>;
  /** The last attempt's error message. */
  failedReason: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  /** The job kind, e.g. `analyse-review`. */
  name: Scalars['String']['output'];
};

/** A category's reviews distilled for merchants. */
export type FeedbackInsights = {
  categoryId: Scalars['ID']['output'];
  /** Products with the largest share of negative reviews first (at least 3 analysed reviews). */
  mostCriticised: Array<ProductFeedbackRank>;
  reviewsSummarised: Scalars['Int']['output'];
  /** Over the newest reviews of the category (see `reviewsSummarised`). */
  summary: FeedbackSummary;
  /** The category's topics as last fitted, largest first; empty while it has too few analysed reviews. */
  topics: Array<CategoryTopic>;
  /** When the topics were last fitted. */
  topicsFittedAt?: Maybe<Scalars['DateTimeISO']['output']>;
};

export type FeedbackKeyword = {
  /** Reviews that use the term. */
  reviews: Scalars['Int']['output'];
  term: Scalars['String']['output'];
  /** TF-IDF against the category: higher is more particular to these reviews. */
  weight: Scalars['Float']['output'];
};

/** What to improve, with its evidence: never without quoted reviews. */
export type FeedbackSuggestion = {
  aspect?: Maybe<ReviewAspect>;
  /** The complaint rate it is tested against: the category's (all aspects pooled, or the topic's share), or the product's own without a category model. */
  baselineShare: Scalars['Float']['output'];
  /** Reviews among them that complain: what suggestions are ranked by. */
  complaints: Scalars['Int']['output'];
  /** Reviews that speak to it: those that mention the aspect, or the product's analysed reviews for a topic. */
  evidenceCount: Scalars['Int']['output'];
  examples: Array<ReviewQuote>;
  /** complaints / evidenceCount. */
  negativeShare: Scalars['Float']['output'];
  /** One-sided exact binomial p-value of this many complaints at the baseline rate; shown only when significant. */
  pValue: Scalars['Float']['output'];
  text: Scalars['String']['output'];
  /** The topic it comes from, when it comes from a topic. */
  topic?: Maybe<Scalars['Int']['output']>;
};

/** What reviews say, distilled. */
export type FeedbackSummary = {
  /** Reviews the worker has analysed among those summarised. */
  analysedCount: Scalars['Int']['output'];
  /** Most mentioned first. */
  aspects: Array<AspectSummary>;
  /** Analysed reviews whose stars and text disagree (1–2 stars with glowing text, 4–5 with a complaint). */
  flaggedCount: Scalars['Int']['output'];
  /** Mean rating of all reviews; null when there are none. */
  ratingAverage?: Maybe<Scalars['Float']['output']>;
  ratingCount: Scalars['Int']['output'];
  /** Over analysed reviews. */
  sentiment: SentimentShare;
  /** At most five, most complaining reviews first; each significantly above its baseline. */
  suggestions: Array<FeedbackSuggestion>;
  topKeywords: Array<FeedbackKeyword>;
  /** Largest first. */
  topics: Array<TopicSummary>;
};

/** What was deleted: the account, and every row, vector, log and job of the shopper. */
export type ForgetMeResult = {
  events: Scalars['Int']['output'];
  interestProfiles: Scalars['Int']['output'];
  /** Queued or kept jobs. */
  jobs: Scalars['Int']['output'];
  /** Reviews, with their analyses and embeddings. */
  reviews: Scalars['Int']['output'];
  /** Logged recommendation slates. */
  slates: Scalars['Int']['output'];
  userId: Scalars['ID']['output'];
};

/** What forgetting deleted of one shopper's behaviour data. */
export type ForgottenBehaviour = {
  events: Scalars['Int']['output'];
  interestProfiles: Scalars['Int']['output'];
  /** Queued or kept interest-update jobs. */
  jobs: Scalars['Int']['output'];
  /** Logged recommendation slates, with their items. */
  slates: Scalars['Int']['output'];
};

/** What forgetting deleted of one shopper's reviews. */
export type ForgottenReviews = {
  /** Queued or kept analysis jobs. */
  jobs: Scalars['Int']['output'];
  /** Reviews, with their analyses. */
  reviews: Scalars['Int']['output'];
};

/** One step of the VIEW → CART → PURCHASE funnel over a period. */
export type FunnelStep = {
  /** reached / the previous step's reached, for instance shoppers with a CART among shoppers with a VIEW; null for VIEW or when nobody reached the previous step. */
  conversion?: Maybe<Scalars['Float']['output']>;
  /** Events of this type. In a private release each shopper adds at most PRIVACY_MAX_CONTRIBUTIONS. */
  events: Scalars['Int']['output'];
  /** reached / shoppers who viewed; null when nobody viewed. */
  overallConversion?: Maybe<Scalars['Float']['output']>;
  /** Shoppers with at least one event of this type and of every earlier step (in any order) in the period. */
  reached: Scalars['Int']['output'];
  /** Shoppers with at least one event of this type. */
  shoppers: Scalars['Int']['output'];
  type: EventType;
};

export type Guardrail =
  /** Share of the indexed catalogue shown, over the same number of latest slates per arm. */
  | 'COVERAGE'
  /** Mean intra-list diversity of slates (1 − mean pairwise cosine similarity of their products). */
  | 'DIVERSITY';

export type GuardrailCheck = {
  /** Significantly more than the tolerated 10% drop below the control's value, at the experiment's confidence. */
  breached: Scalars['Boolean']['output'];
  guardrail: Guardrail;
  /** Its standard error over slates (DIVERSITY: of the mean; COVERAGE: by bootstrap over slates). */
  standardError?: Maybe<Scalars['Float']['output']>;
  /** Null when the arm served no slate with vectors to measure. */
  value?: Maybe<Scalars['Float']['output']>;
};

export type HourActivity = {
  /** Every event type, in EventType order. */
  byType: Array<ActivityTypeCount>;
  /** Events of every type. */
  events: Scalars['Int']['output'];
  /** Hour of the day, 0 to 23, UTC. */
  hour: Scalars['Int']['output'];
};

/** One thing a shopper is interested in, recognised from their behaviour. */
export type Interest = {
  /** Readable name from its strongest keywords, e.g. "running · shoes". */
  label: Scalars['String']['output'];
  /** Events behind it. */
  signals: Scalars['Int']['output'];
  /** Up to 3 categories, strongest first. */
  topCategories: Array<InterestCategory>;
  /** Up to 5 keywords from product titles and searches, strongest first. */
  topKeywords: Array<Scalars['String']['output']>;
  /** Share of the shopper's attention, in (0, 1]; the interests' weights sum to 1. */
  weight: Scalars['Float']['output'];
};

/** A category behind an interest, with its share of the interest. */
export type InterestCategory = {
  category: Category;
  /** Share of the interest carried by this category, in (0, 1]. */
  weight: Scalars['Float']['output'];
};

/** What Serendip believes a shopper is interested in, as the worker last recognised it. */
export type InterestProfile = {
  /** Strongest first; several interests rather than one average. */
  interests: Array<Interest>;
  /** Product and search events (and passed-over recommendations) the profile was built from. */
  signals: Scalars['Int']['output'];
  updatedAt: Scalars['DateTimeISO']['output'];
};

/** One of the worker's BullMQ queues (one per job kind), as Redis holds it now. Admins only. */
export type JobQueue = {
  /** Jobs a worker holds now. */
  active: Scalars['Int']['output'];
  /** Completed jobs still kept (an hour at most). */
  completed: Scalars['Int']['output'];
  /** Jobs waiting for their time: a debounce, or the backoff before a retry. */
  delayed: Scalars['Int']['output'];
  /** Jobs whose every attempt failed; kept a week to be read and retried. */
  failed: Scalars['Int']['output'];
  /** The newest failed jobs first (at most `failedFirst` of them). */
  failedJobs: Array<FailedJob>;
  /** The queue name, e.g. `review-analysis`. */
  name: Scalars['String']['output'];
  /** Paused: workers take nothing from it. */
  paused: Scalars['Boolean']['output'];
  /** Jobs ready for a worker to take. */
  waiting: Scalars['Int']['output'];
};

/** An estimate with its standard error and confidence interval. */
export type MetricInterval = {
  lower: Scalars['Float']['output'];
  standardError: Scalars['Float']['output'];
  upper: Scalars['Float']['output'];
  value: Scalars['Float']['output'];
};

export type Mutation = {
  /** Admin only. */
  createCategory: Category;
  /** Admins only: defines an experiment (DRAFT). The first arm is the control. */
  createExperiment: Experiment;
  /** Admin only. */
  createProduct: Product;
  /** Deletes the signed-in shopper: account, behaviour events, interests, recommendation logs, reviews, embeddings and queued jobs, in every subgraph. Cannot be undone. SERVICE_UNAVAILABLE when a subgraph did not answer: nothing is lost by calling again. */
  forgetMe: ForgetMeResult;
  /** Admins only: makes the account with this email an admin (nothing changes if it is one). Takes effect at once: their access tokens are revoked, and refreshSession issues ones with the new roles. NOT_FOUND when no account has the email. */
  grantAdmin: User;
  /** Raises another admin's privacy budget by epsilon and delta; nobody raises their own, so spending more always takes a second person. The platform's budget per period is a setting no grant raises. Admins only. */
  grantPrivacyBudget: PrivacyBudget;
  /** Trades a refresh token for a new access token (with the roles the account has now) and a new refresh token. UNAUTHENTICATED when the session has ended or expired, or the refresh token was already used: sign in again. */
  refreshSession: AuthPayload;
  /** Removes one of the signed-in shopper's interests (its index in behaviourSummary.interests) now and from later recognitions. */
  removeInterest: BehaviourSummary;
  /** Admins only: sends a failed job back to its queue to be tried again, attempts counted afresh. NOT_FOUND for an unknown queue or job, CONFLICT when the job has not failed. */
  retryFailedJob: Scalars['Boolean']['output'];
  /** Admins only: takes the admin role from the account with this email (nothing changes if it has none). Takes effect at once: their access tokens are revoked, and refreshSession issues ones with the new roles. NOT_FOUND when no account has the email. */
  revokeAdmin: User;
  signIn: AuthPayload;
  /** Ends the session of the access token this request carries: its access and refresh tokens stop working at once, and its subscriptions close. False when it had already ended. */
  signOut: Scalars['Boolean']['output'];
  /** Ends every session of the signed-in shopper, this one included, on every device; returns how many were open. */
  signOutEverywhere: Scalars['Int']['output'];
  /** Creates a shopper account and signs it in. */
  signUp: AuthPayload;
  /** Admins only: starts a DRAFT; its slot must have no other running experiment. */
  startExperiment: Experiment;
  /** Admins only: stops an experiment for good; its shoppers get the slot's own policy again. */
  stopExperiment: Experiment;
  /** The signed-in shopper reviews a product; one review per shopper and product. */
  submitReview: Review;
  /** Records 1 to 500 events of the signed-in shopper, all or none. Safe to retry: events already recorded (same clientEventId) count as duplicates. */
  trackEvents: TrackEventsResult;
  /** Turns personalisation on or off for the signed-in shopper. */
  updateConsent: User;
  /** Admin only: changes the fields given and leaves the rest. */
  updateProduct: Product;
};


export type MutationCreateCategoryArgs = {
  input: CreateCategoryInput;
};


export type MutationCreateExperimentArgs = {
  input: CreateExperimentInput;
};


export type MutationCreateProductArgs = {
  input: CreateProductInput;
};


export type MutationGrantAdminArgs = {
  email: Scalars['String']['input'];
};


export type MutationGrantPrivacyBudgetArgs = {
  analystId: Scalars['ID']['input'];
  delta?: Scalars['Float']['input'];
  epsilon: Scalars['Float']['input'];
};


export type MutationRefreshSessionArgs = {
  refreshToken: Scalars['String']['input'];
};


export type MutationRemoveInterestArgs = {
  index: Scalars['Int']['input'];
};


export type MutationRetryFailedJobArgs = {
  jobId: Scalars['ID']['input'];
  queue: Scalars['String']['input'];
};


export type MutationRevokeAdminArgs = {
  email: Scalars['String']['input'];
};


export type MutationSignInArgs = {
  email: Scalars['String']['input'];
  password: Scalars['String']['input'];
};


export type MutationSignUpArgs = {
  input: SignUpInput;
};


export type MutationStartExperimentArgs = {
  id: Scalars['ID']['input'];
};


export type MutationStopExperimentArgs = {
  id: Scalars['ID']['input'];
};


export type MutationSubmitReviewArgs = {
  input: SubmitReviewInput;
};


export type MutationTrackEventsArgs = {
  events: Array<TrackEventInput>;
};


export type MutationUpdateConsentArgs = {
  personalisation: Scalars['Boolean']['input'];
};


export type MutationUpdateProductArgs = {
  id: Scalars['ID']['input'];
  input: UpdateProductInput;
};

export type PageInfo = {
  /** Pass as `after` to fetch the next page. */
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

/** What all analysts' private releases may spend together in the current period, whatever their own budgets say. */
export type PlatformPrivacyBudget = {
  /** When the next period, with a fresh total, begins. */
  periodEnd: Scalars['DateTimeISO']['output'];
  periodStart: Scalars['DateTimeISO']['output'];
  remaining: Scalars['Float']['output'];
  remainingDelta: Scalars['Float']['output'];
  spent: Scalars['Float']['output'];
  spentDelta: Scalars['Float']['output'];
  /** Epsilon. */
  total: Scalars['Float']['output'];
  totalDelta: Scalars['Float']['output'];
};

/** An analyst's differential-privacy budget: the epsilon and the delta their private releases may spend in all; a release is paid from it and from the platform's. */
export type PrivacyBudget = {
  /** The admin whose budget it is (their user id, lowercase). */
  analystId: Scalars['ID']['output'];
  platform: PlatformPrivacyBudget;
  remaining: Scalars['Float']['output'];
  remainingDelta: Scalars['Float']['output'];
  spent: Scalars['Float']['output'];
  spentDelta: Scalars['Float']['output'];
  /** Epsilon. */
  total: Scalars['Float']['output'];
  totalDelta: Scalars['Float']['output'];
};

/** Release with differential privacy: counts get calibrated noise and epsilon is charged to your privacy budget before anything is computed. */
export type PrivacyInput = {
  /** GAUSSIAN only: probability that the epsilon bound fails, in (0, 1). @default 1e-6 */
  delta?: InputMaybe<Scalars['Float']['input']>;
  /** Privacy loss to spend; more means less noise. Greater than 0 (at most 1 for GAUSSIAN). */
  epsilon: Scalars['Float']['input'];
  mechanism?: PrivacyMechanism;
};

/** How noise is added to a differentially private release. */
export type PrivacyMechanism =
  /** Gaussian noise of sigma = sensitivity (L2) * sqrt(2 ln(1.25 / delta)) / epsilon: (epsilon, delta)-differential privacy, epsilon at most 1. */
  | 'GAUSSIAN'
  /** Laplace noise of scale sensitivity (L1) / epsilon: pure epsilon-differential privacy, no delta. */
  | 'LAPLACE';

/** How a differentially private result was released. */
export type PrivacyRelease = {
  /** Your epsilon left after this release. */
  budgetRemaining: Scalars['Float']['output'];
  /** Your delta left after this release. */
  budgetRemainingDelta: Scalars['Float']['output'];
  /** Probability that the epsilon bound fails; null for LAPLACE. */
  delta?: Maybe<Scalars['Float']['output']>;
  /** Privacy loss of this release, charged to your budget. */
  epsilon: Scalars['Float']['output'];
  mechanism: PrivacyMechanism;
  /** Laplace b or Gaussian sigma of the noise added to every count. */
  scale: Scalars['Float']['output'];
  /** The most one shopper can change the released counts together (L1 for LAPLACE, L2 for GAUSSIAN). */
  sensitivity: Scalars['Float']['output'];
};

export type Product = {
  brand?: Maybe<Scalars['String']['output']>;
  category: Category;
  createdAt: Scalars['DateTimeISO']['output'];
  /** ISO 4217 code such as USD or CNY. */
  currency: Scalars['String']['output'];
  /** Plain text; may be empty. */
  description: Scalars['String']['output'];
  /** What the product's reviews say: sentiment, keywords, aspects, topics and grounded suggestions. Public. Reflects a review as soon as the worker has analysed it; rating figures count every review. Null (with a SERVICE_UNAVAILABLE error) when the feedback subgraph does not answer. */
  feedbackSummary?: Maybe<FeedbackSummary>;
  id: Scalars['ID']['output'];
  imageUrl?: Maybe<Scalars['String']['output']>;
  /** In `currency`, with at most two decimals. */
  price: Scalars['Float']['output'];
  /** Mean rating and number of reviews. Null (with a SERVICE_UNAVAILABLE error) when the feedback subgraph does not answer. */
  ratingSummary?: Maybe<RatingSummary>;
  /** The product's reviews, newest first. Public. Null (with a SERVICE_UNAVAILABLE error) when the feedback subgraph does not answer. */
  reviews?: Maybe<ReviewConnection>;
  /** Merchant stock keeping unit; unique, case-sensitive. */
  sku: Scalars['String']['output'];
  /** Lower-case, trimmed and without duplicates. */
  tags: Array<Scalars['String']['output']>;
  title: Scalars['String']['output'];
  updatedAt: Scalars['DateTimeISO']['output'];
};


export type ProductReviewsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type ProductConnection = {
  nodes: Array<Product>;
  pageInfo: PageInfo;
  /** Products matching the filter, across all pages. */
  totalCount: Scalars['Int']['output'];
};

export type ProductFeedbackRank = {
  /** Share of its analysed reviews that are negative. */
  negativeShare: Scalars['Float']['output'];
  productId: Scalars['ID']['output'];
  reviews: Scalars['Int']['output'];
};

/** All given conditions must hold. */
export type ProductFilter = {
  /** Exact brand, ignoring case. */
  brand?: InputMaybe<Scalars['String']['input']>;
  /** Products in this category or any of its descendants. */
  categoryId?: InputMaybe<Scalars['ID']['input']>;
  maxPrice?: InputMaybe<Scalars['Float']['input']>;
  minPrice?: InputMaybe<Scalars['Float']['input']>;
  tag?: InputMaybe<Scalars['String']['input']>;
};

/** One product's funnel events over a period. */
export type ProductFunnel = {
  /** carts / views; null without views. */
  cartRate?: Maybe<Scalars['Float']['output']>;
  carts: Scalars['Int']['output'];
  /** purchases / views; null without views. */
  conversion?: Maybe<Scalars['Float']['output']>;
  product: Product;
  purchases: Scalars['Int']['output'];
  views: Scalars['Int']['output'];
};

/** Most viewed first, then by product id. */
export type ProductFunnelConnection = {
  nodes: Array<ProductFunnel>;
  pageInfo: PageInfo;
  /** Products of the category with funnel events in the period, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** What one product's reviews add up to. */
export type ProductReviewTally = {
  /** Reviews whose text has been analysed. */
  analysed: Scalars['Int']['output'];
  negative: Scalars['Int']['output'];
  positive: Scalars['Int']['output'];
  productId: Scalars['ID']['output'];
  /** Sum of the star ratings. */
  ratingSum: Scalars['Int']['output'];
  ratings: Scalars['Int']['output'];
};

export type ProductSearchHit = {
  /** The modes that found the product: in HYBRID, LEXICAL and/or SEMANTIC; LEXICAL alone on every hit when the semantic side was unavailable. */
  matchedBy: Array<SearchMode>;
  product: Product;
  /** Relevance; higher is better. Comparable only within one result list. */
  score: Scalars['Float']['output'];
};

export type Query = {
  /** Events by hour of day and day of week (UTC), per event type, optionally in one category. Events with from <= occurredAt < to; at most 400 days. Exact without privacy (for the shop's own staff); with privacy, a differentially private release charged to your budget (for sharing). Admins only. */
  activityPatterns: ActivityPatterns;
  /** Admins only: the consenting shoppers most likely to respond to exactly one of a product, a brand (its products) or a text (the products semantic search finds), with the segments they come from. */
  audience: Audience;
  /** The VIEW → CART → PURCHASE funnel over a period, optionally in one category. Events with from <= occurredAt < to; at most 400 days. Exact without privacy (for the shop's own staff); with privacy, a differentially private release charged to your budget (for sharing). Admins only. */
  behaviourFunnel: BehaviourFunnel;
  /** The funnel per product of a category, most viewed first. Events with from <= occurredAt < to; at most 400 days. Exact figures. Admins only. */
  behaviourFunnelByProduct: ProductFunnelConnection;
  /** The root categories, by name. */
  categories: Array<Category>;
  category?: Maybe<Category>;
  /** Categories by how many shoppers engaged with them, with conversion and lift. Events with from <= occurredAt < to; at most 400 days. Exact figures. Admins only. */
  categoryAffinity: CategoryAffinityConnection;
  /** Admins only: per-arm CTR, conversion and revenue per shopper with confidence intervals, each arm tested against the control (Holm-adjusted), the sample-ratio check, the diversity and coverage guardrails, and the winner if there is one. */
  experimentResults: ExperimentResults;
  /** Admins only: experiments, newest first. */
  experiments: Array<Experiment>;
  /** A category's reviews distilled for merchants: summary, topics, most criticised products. Admins only. */
  feedbackInsights: FeedbackInsights;
  /** Admins only: the worker's queues with their jobs counted by state, and each one's newest failed jobs. */
  jobQueues: Array<JobQueue>;
  /** The signed-in shopper, or null for an anonymous visitor. */
  me?: Maybe<User>;
  /** Your differential-privacy budget. Admins only. */
  privacyBudget: PrivacyBudget;
  product?: Maybe<Product>;
  /** Newest first. */
  products: ProductConnection;
  /** A fresh slate for the signed-in shopper (at most 50 items), logged so its clicks can be credited: exploits known interests and explores on purpose, by the slot's policy. */
  recommendations: RecommendationSlate;
  /** Shoppers who buy on more than one day. Events with from <= occurredAt < to; at most 400 days. Exact without privacy (for the shop's own staff); with privacy, a differentially private release charged to your budget (for sharing). Admins only. */
  repeatPurchase: RepeatPurchase;
  /** A review by id, or null when there is none. */
  review?: Maybe<Review>;
  /** Products matching the text, best first. HYBRID (the default) fuses LEXICAL and SEMANTIC; when the semantic side is unavailable, SEMANTIC and HYBRID answer from LEXICAL alone and say so in the response's extensions.warnings (code SEARCH_DEGRADED). */
  searchProducts: Array<ProductSearchHit>;
  /** Admins only: the newest sequence model versions, whatever the gate decided. */
  sequenceModelVersions: Array<SequenceModelVersion>;
  /** Shopping sessions over a period. Events with from <= occurredAt < to; at most 400 days. Exact without privacy (for the shop's own staff); with privacy, a differentially private release charged to your budget (for sharing). Admins only. */
  sessionStatistics: SessionStatistics;
  /** Admins only: the current shopper segments; null before the first refit. */
  shopperSegments?: Maybe<ShopperSegments>;
  /** Admin only: any account by id. */
  user: User;
};


export type QueryActivityPatternsArgs = {
  categoryId?: InputMaybe<Scalars['ID']['input']>;
  from: Scalars['DateTimeISO']['input'];
  privacy?: InputMaybe<PrivacyInput>;
  to: Scalars['DateTimeISO']['input'];
};


export type QueryAudienceArgs = {
  brand?: InputMaybe<Scalars['String']['input']>;
  limit?: Scalars['Int']['input'];
  productId?: InputMaybe<Scalars['ID']['input']>;
  text?: InputMaybe<Scalars['String']['input']>;
};


export type QueryBehaviourFunnelArgs = {
  categoryId?: InputMaybe<Scalars['ID']['input']>;
  from: Scalars['DateTimeISO']['input'];
  privacy?: InputMaybe<PrivacyInput>;
  to: Scalars['DateTimeISO']['input'];
};


export type QueryBehaviourFunnelByProductArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  categoryId: Scalars['ID']['input'];
  first?: Scalars['Int']['input'];
  from: Scalars['DateTimeISO']['input'];
  to: Scalars['DateTimeISO']['input'];
};


export type QueryCategoryArgs = {
  id: Scalars['ID']['input'];
};


export type QueryCategoryAffinityArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: Scalars['Int']['input'];
  from: Scalars['DateTimeISO']['input'];
  to: Scalars['DateTimeISO']['input'];
};


export type QueryExperimentResultsArgs = {
  confidence?: Scalars['Float']['input'];
  id: Scalars['ID']['input'];
};


export type QueryExperimentsArgs = {
  status?: InputMaybe<ExperimentStatus>;
};


export type QueryFeedbackInsightsArgs = {
  categoryId: Scalars['ID']['input'];
};


export type QueryJobQueuesArgs = {
  failedFirst?: Scalars['Int']['input'];
};


export type QueryProductArgs = {
  id: Scalars['ID']['input'];
};


export type QueryProductsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ProductFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryRecommendationsArgs = {
  excludeIds?: InputMaybe<Array<Scalars['ID']['input']>>;
  first?: Scalars['Int']['input'];
  slot?: RecommendationSlot;
};


export type QueryRepeatPurchaseArgs = {
  from: Scalars['DateTimeISO']['input'];
  privacy?: InputMaybe<PrivacyInput>;
  to: Scalars['DateTimeISO']['input'];
};


export type QueryReviewArgs = {
  id: Scalars['ID']['input'];
};


export type QuerySearchProductsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  mode?: InputMaybe<SearchMode>;
  text: Scalars['String']['input'];
};


export type QuerySequenceModelVersionsArgs = {
  first?: Scalars['Int']['input'];
};


export type QuerySessionStatisticsArgs = {
  from: Scalars['DateTimeISO']['input'];
  privacy?: InputMaybe<PrivacyInput>;
  to: Scalars['DateTimeISO']['input'];
};


export type QueryUserArgs = {
  id: Scalars['ID']['input'];
};

export type RatingSummary = {
  /** Mean rating, or null when the product has no reviews. */
  average?: Maybe<Scalars['Float']['output']>;
  count: Scalars['Int']['output'];
};

/** A product suggested to a shopper, with why. */
export type Recommendation = {
  /** Chosen to explore rather than as the best-scoring item left (a deliberate, logged exploration). */
  explored: Scalars['Boolean']['output'];
  product: Product;
  /** 0-based position. */
  rank: Scalars['Int']['output'];
  /** Readable explanation, e.g. "Matches your interest in running, shoes". */
  reason: Scalars['String']['output'];
  /** The logged slate this item belongs to: send it as TrackEventInput.recommendationId with CLICK, CART and PURCHASE events about the product. Null where nothing was logged (User.recommendations). */
  recommendationId?: Maybe<Scalars['ID']['output']>;
  /** Relevance in [0, 1]; comparable between recommendations of the same source. */
  score: Scalars['Float']['output'];
  /** Where it came from: `interest`, `co-occurrence`, `transitions`, `sequence`, `trending` or `fresh` in slates; `popular-in-category` or `popular` in User.recommendations. */
  source: Scalars['String']['output'];
};

/** The products served to one shopper in one slot at one moment, best first, as logged for evaluation. */
export type RecommendationSlate = {
  /** The experiment arm that chose this slate; null outside experiments. */
  experiment?: Maybe<SlateExperiment>;
  generatedAt: Scalars['DateTimeISO']['output'];
  items: Array<Recommendation>;
  /** Whether the shopper's own behaviour and interests could shape this slate. False without personalisation consent: then it holds trending and fresh products only, the same for every such shopper. */
  personalised: Scalars['Boolean']['output'];
  /** The policy that chose the slate, as name@version. */
  policy: Scalars['String']['output'];
  /** Send it back with CLICK, CART and PURCHASE events about these products (TrackEventInput.recommendationId). */
  recommendationId: Scalars['ID']['output'];
  /** The sequence model version whose prediction fed this slate (as logged); null when the shopper had no sequence query for the serving version. */
  sequenceModelVersion?: Maybe<Scalars['String']['output']>;
  slot: RecommendationSlot;
};

/** Where a slate is shown. Each slot has its own exploration strength and its own logged impressions. */
export type RecommendationSlot =
  /** The cart or checkout ("complete your order"). */
  | 'CART'
  /** The home page or a landing page. */
  | 'HOME'
  /** A product page ("you may also like"). */
  | 'PRODUCT';

/** An interest the shopper removed; it stays out of their profile. */
export type RemovedInterest = {
  label: Scalars['String']['output'];
  removedAt: Scalars['DateTimeISO']['output'];
};

/** Shoppers who come back to buy, by UTC purchase days within a period. */
export type RepeatPurchase = {
  /** Median days between consecutive purchase days of a shopper, over all such gaps; null without repeat purchasers. */
  medianDaysBetweenPurchases?: Maybe<Scalars['Float']['output']>;
  /** How the figures were noised; null when they are exact. */
  privacy?: Maybe<PrivacyRelease>;
  /** Shoppers with a PURCHASE. */
  purchasers: Scalars['Int']['output'];
  /** Shoppers with purchases on at least two distinct days. */
  repeatPurchasers: Scalars['Int']['output'];
  /** repeatPurchasers / purchasers; null without purchasers. */
  repeatRate?: Maybe<Scalars['Float']['output']>;
};

/** A shopper's rating and opinion of one product; one per shopper and product. */
export type Review = {
  /** Sentiment read by the worker; PENDING until it has, FAILED if it could not. */
  analysis?: Maybe<ReviewAnalysis>;
  author: User;
  createdAt: Scalars['DateTimeISO']['output'];
  id: Scalars['ID']['output'];
  /** ISO 639-1 code detected from the text (`zh`, `en`), or `und` when unclear. */
  language: Scalars['String']['output'];
  product: Product;
  /** 1 (worst) to 5 (best). */
  rating: Scalars['Int']['output'];
  text: Scalars['String']['output'];
};

/** What the worker made of a review. */
export type ReviewAnalysis = {
  /** When it was analysed, or when its analysis failed for good. */
  analysedAt?: Maybe<Scalars['DateTimeISO']['output']>;
  /** Aspects named, clause by clause; empty until analysed. */
  aspects: Array<ReviewAspectMention>;
  flags: Array<ReviewFlag>;
  /** The review's own keywords, best first; empty until analysed. */
  keywords: Array<Scalars['String']['output']>;
  /** The model that read it, as name@version. */
  model?: Maybe<Scalars['String']['output']>;
  /** Null until analysed. */
  sentiment?: Maybe<ReviewSentiment>;
  status: AnalysisStatus;
};

/** What a praise or complaint is about. */
export type ReviewAspect =
  /** Colour, style, design, likeness to the pictures. */
  | 'APPEARANCE'
  /** How it feels to wear or hold. */
  | 'COMFORT'
  /** Shipping and delivery, their speed, the courier. */
  | 'LOGISTICS'
  /** Boxes, bags, wrapping, spills in transit. */
  | 'PACKAGING'
  /** Battery, speed, screen, system, heat, noise of devices. */
  | 'PERFORMANCE'
  /** Price and value for money. */
  | 'PRICE'
  /** Material, workmanship, durability, defects, genuine or fake. */
  | 'QUALITY'
  /** Seller and customer service, returns and refunds, staff. */
  | 'SERVICE'
  /** Size, cut and fit of clothes; a product's physical size. */
  | 'SIZE_FIT'
  /** Taste, freshness, temperature and portion of food. */
  | 'TASTE';

/** An aspect named in one clause of the review, with that clause's sentiment. */
export type ReviewAspectMention = {
  aspect: ReviewAspect;
  /** The clause, word for word. */
  clause: Scalars['String']['output'];
  /** Probability of the sentiment. */
  score: Scalars['Float']['output'];
  /** `negative`, `neutral` or `positive`. */
  sentiment: Scalars['String']['output'];
};

/** Reviews, newest first. */
export type ReviewConnection = {
  nodes: Array<Review>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

/** Something about a review worth a second look. Flags are shown, never acted on silently. */
export type ReviewFlag =
  /** 1–2 stars with glowing text, or 4–5 stars with a complaint (P ≥ 0.8): a wrong star or sarcasm. */
  | 'RATING_TEXT_MISMATCH';

/** A clause quoted word for word from a review: the evidence behind a summary. */
export type ReviewQuote = {
  reviewId: Scalars['ID']['output'];
  /** `negative`, `neutral` or `positive`: the sentiment of the quoted clause. */
  sentiment: Scalars['String']['output'];
  text: Scalars['String']['output'];
};

export type ReviewSentiment = {
  /** `negative`, `neutral` or `positive`. */
  label: Scalars['String']['output'];
  /** Probability of the label. */
  score: Scalars['Float']['output'];
};

export type ReviewTallyPage = {
  /** The last product id of the page: pass it as `after` to continue. */
  endCursor?: Maybe<Scalars['ID']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
  items: Array<ProductReviewTally>;
};

/** Do the arms hold the shoppers their traffic shares promise? A chi-square goodness-of-fit test. */
export type SampleRatioCheck = {
  chiSquare: Scalars['Float']['output'];
  expected: Array<Scalars['Float']['output']>;
  /** pValue below 0.001: assignment or logging is broken and no result should be trusted. */
  mismatch: Scalars['Boolean']['output'];
  observed: Array<Scalars['Int']['output']>;
  pValue: Scalars['Float']['output'];
};

/** How searchProducts matches text to products. */
export type SearchMode =
  | 'HYBRID'
  | 'LEXICAL'
  | 'SEMANTIC';

export type SegmentCategory = {
  category: Category;
  /** Share of the segment's category events. */
  share: Scalars['Float']['output'];
};

/** One behaviour feature of a segment against every other segmented shopper. */
export type SegmentDifference = {
  /** (members' mean − others' mean) / the standard deviation over all shoppers, on the scale segments are found on. */
  effect: Scalars['Float']['output'];
  /** The feature: "log1p VIEW" (and CLICK, CART, PURCHASE, SEARCH, sessions), "cartPerView", "purchasePerView", "log1p spend" (money spent on purchases), "price level" (ln of the price of what the shopper touched against its category's median), "<night|morning|afternoon|evening> share", "category <id> share" or "other categories share". */
  feature: Scalars['String']['output'];
  /** The same over every shopper outside the segment. */
  others: Scalars['Float']['output'];
  /** The members' mean: events, sessions or money spent per shopper for the log1p features, the price ratio to the category median for the price level, else the share or rate. */
  segment: Scalars['Float']['output'];
};

/** A product a segment's members reach far more often than other segmented shoppers. */
export type SegmentProduct = {
  /** 100 × share / othersShare (smoothed by one shopper in two): 100 is no different from everyone else. */
  index: Scalars['Float']['output'];
  /** The same share among every other segmented shopper. */
  othersShare: Scalars['Float']['output'];
  product: Product;
  /** Its share of the segment's members. */
  share: Scalars['Float']['output'];
  /** Members with an event on it. */
  shoppers: Scalars['Int']['output'];
};

/** Shares of analysed items by sentiment; each 0 when there are none. */
export type SentimentShare = {
  negative: Scalars['Float']['output'];
  neutral: Scalars['Float']['output'];
  positive: Scalars['Float']['output'];
};

/** What the quality gate decided about a trained sequence model version. */
export type SequenceModelStatus =
  /** Scored below the serving version on the same validation shoppers; an experiment arm can still pin it. */
  | 'REJECTED'
  /** Served once, replaced by a newer version that passed the gate. */
  | 'RETIRED'
  /** Serves every shopper outside experiments that pin another version (one at a time). */
  | 'SERVING';

/** A trained sequence model version in the registry, with its quality gate. Admins only. */
export type SequenceModelVersion = {
  /** The baseline's HR@10 on the same validation shoppers. */
  baselineHr10?: Maybe<Scalars['Float']['output']>;
  /** The version serving when this one was gated. */
  baselineVersion?: Maybe<Scalars['String']['output']>;
  createdAt: Scalars['DateTimeISO']['output'];
  events: Scalars['Int']['output'];
  /** Products the model knows. */
  items: Scalars['Int']['output'];
  /** Why the gate decided as it did. */
  note: Scalars['String']['output'];
  promotedAt?: Maybe<Scalars['DateTimeISO']['output']>;
  /** Shoppers trained on. */
  shoppers: Scalars['Int']['output'];
  status: SequenceModelStatus;
  trainingSeconds: Scalars['Float']['output'];
  /** HR@10 of each validation shopper's last product from the ones before it, full ranking. */
  validationHr10: Scalars['Float']['output'];
  validationNdcg10: Scalars['Float']['output'];
  /** Pin it in an experiment arm (ExperimentArmInput.sequenceModelVersion) to compare it online. */
  version: Scalars['String']['output'];
};

/** Shopping sessions (one shopper's session id) over a period, counting only their events within it. */
export type SessionStatistics = {
  /** Share of sessions with a single event. */
  bounceRate?: Maybe<Scalars['Float']['output']>;
  /** First to last event, in seconds. */
  meanDurationSeconds?: Maybe<Scalars['Float']['output']>;
  /** Null without sessions. */
  meanEventsPerSession?: Maybe<Scalars['Float']['output']>;
  medianDurationSeconds?: Maybe<Scalars['Float']['output']>;
  medianEventsPerSession?: Maybe<Scalars['Float']['output']>;
  /** How the figures were noised; null when they are exact. */
  privacy?: Maybe<PrivacyRelease>;
  sessions: Scalars['Int']['output'];
  sessionsWithPurchase: Scalars['Int']['output'];
};

/** A group of shoppers who behave alike, labelled by what sets it apart and described by its own figures. */
export type ShopperSegment = {
  /** The fewest hours of day (in the shop's time zone, SHOP_TIME_ZONE) that hold half of its events. */
  activeHours: Array<Scalars['Int']['output']>;
  /** Share of members with at least one purchase. */
  conversion: Scalars['Float']['output'];
  /** Its largest differences from every other segmented shopper, largest effect first; up to 5. */
  differences: Array<SegmentDifference>;
  eventsPerShopper: Scalars['Float']['output'];
  /** What sets it apart, from its largest differences, e.g. "Smartphones (95% vs 9% of events), fewer views (2.1 vs 3.6 per shopper)"; no two segments of a fit share one. */
  label: Scalars['String']['output'];
  /** Products its members reach out of proportion to other shoppers, highest index first; up to 5, each reached by at least 3 members and 1% of the segment. */
  overIndexedProducts: Array<SegmentProduct>;
  purchasesPerShopper: Scalars['Float']['output'];
  /** The segment number. A refit gives it to the new segment most of whose members had it, so it names the same group of shoppers while that group lasts. */
  segment: Scalars['Int']['output'];
  /** Share of the segmented shoppers. */
  share: Scalars['Float']['output'];
  size: Scalars['Int']['output'];
  /** Built from its own figures, e.g. "evening occasional buyers of 2 categories, mostly shoes". */
  summary: Scalars['String']['output'];
  /** Up to 3. */
  topCategories: Array<SegmentCategory>;
  /** The members' interest keywords, up to 5. */
  topKeywords: Array<Scalars['String']['output']>;
};

/** The current segmentation of consenting shoppers. */
export type ShopperSegments = {
  fittedAt: Scalars['DateTimeISO']['output'];
  k: Scalars['Int']['output'];
  /** Largest first. */
  segments: Array<ShopperSegment>;
  shoppers: Scalars['Int']['output'];
  /** Mean silhouette of the chosen k: the best among the k whose segments were stable. */
  silhouette: Scalars['Float']['output'];
  /** Stability of the chosen k: mean adjusted Rand index between the fit and its refits on bootstrap resamples of the shoppers (1 = the same segments every time); k needs 0.8 unless none reaches it. Null for a model fitted before stability was measured. */
  stability?: Maybe<Scalars['Float']['output']>;
};

export type SignUpInput = {
  displayName: Scalars['String']['input'];
  email: Scalars['String']['input'];
  locale?: InputMaybe<Scalars['String']['input']>;
  /** At least 8 characters. */
  password: Scalars['String']['input'];
};

/** Events of one type among those recognition reads. */
export type SignalCount = {
  count: Scalars['Int']['output'];
  type: EventType;
};

/** The experiment arm that chose a slate, for the storefront's own analytics. */
export type SlateExperiment = {
  arm: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
};

export type SubmitReviewInput = {
  productId: Scalars['ID']['input'];
  /** 1 (worst) to 5 (best). */
  rating: Scalars['Int']['input'];
  /** 1 to 5000 characters after trimming. */
  text: Scalars['String']['input'];
};

export type Subscription = {
  /** The signed-in shopper's slate for a slot (10 products): the current one at once, then a fresh one whenever their recommendations change. Each event is the whole slate, so a client that reconnects is up to date with the first. */
  recommendationsUpdated: RecommendationSlate;
};


export type SubscriptionRecommendationsUpdatedArgs = {
  slot?: InputMaybe<RecommendationSlot>;
};

/** What a group of the category's reviews of one polarity talk about (found within the polarity, so that topics are subjects, not praise against complaint), labelled by its most particular words. */
export type TopicSummary = {
  label: Scalars['String']['output'];
  /** `negative`, `neutral` or `positive`: the sentiment of the reviews the topic was found in; null when the category model is not known. */
  polarity?: Maybe<Scalars['String']['output']>;
  sentiment: SentimentShare;
  /** Analysed reviews in the topic (of this product, or of the category). */
  size: Scalars['Int']['output'];
  /** The topic's index in its category. */
  topic: Scalars['Int']['output'];
};

/** One thing the signed-in shopper did. */
export type TrackEventInput = {
  /** Unique per shopper, 1 to 64 characters of [A-Za-z0-9_.:-]. Resending an event with the same id records it once. */
  clientEventId: Scalars['String']['input'];
  /** When it happened on the client; defaults to when the server received it. At most 5 minutes ahead of the server clock. */
  occurredAt?: InputMaybe<Scalars['DateTimeISO']['input']>;
  /** Required for VIEW, CART, PURCHASE and CLICK; absent for SEARCH. */
  productId?: InputMaybe<Scalars['ID']['input']>;
  /** The search text: required for SEARCH (1 to 500 characters). */
  query?: InputMaybe<Scalars['String']['input']>;
  /** For CLICK, CART and PURCHASE of a recommended product: the recommendationId of the slate that showed it, which credits the policy that chose it. */
  recommendationId?: InputMaybe<Scalars['ID']['input']>;
  /** The client session, 1 to 64 characters. */
  sessionId: Scalars['String']['input'];
  type: EventType;
};

export type TrackEventsResult = {
  /** Events recorded by this call. */
  accepted: Scalars['Int']['output'];
  /** Events skipped because their clientEventId was already recorded (a retried batch). */
  duplicates: Scalars['Int']['output'];
};

export type UpdateProductInput = {
  brand?: InputMaybe<Scalars['String']['input']>;
  categoryId?: InputMaybe<Scalars['ID']['input']>;
  currency?: InputMaybe<Scalars['String']['input']>;
  description?: InputMaybe<Scalars['String']['input']>;
  imageUrl?: InputMaybe<Scalars['String']['input']>;
  price?: InputMaybe<Scalars['Float']['input']>;
  sku?: InputMaybe<Scalars['String']['input']>;
  tags?: InputMaybe<Array<Scalars['String']['input']>>;
  title?: InputMaybe<Scalars['String']['input']>;
};

export type User = {
  /** What Serendip believes about the shopper (interests, removed interests) and the signals behind it. Visible to the shopper themselves and to admins. Null (with a SERVICE_UNAVAILABLE error) when the recommendation subgraph does not answer. */
  behaviourSummary?: Maybe<BehaviourSummary>;
  /** Visible to the shopper themselves and to admins. */
  consent: Consent;
  createdAt: Scalars['DateTimeISO']['output'];
  displayName: Scalars['String']['output'];
  /** Visible to the shopper themselves and to admins. */
  email: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  /** Interests recognised from behaviour; null until the first recognition, and null without personalisation consent. Visible to the shopper themselves and to admins. Null (with a SERVICE_UNAVAILABLE error) when the recommendation subgraph does not answer. */
  interestProfile?: Maybe<InterestProfile>;
  /** BCP 47 language tag, e.g. `en` or `zh-CN`. */
  locale: Scalars['String']['output'];
  /** The shopper's newest events first (at most 100). Visible to the shopper themselves and to admins. Null (with a SERVICE_UNAVAILABLE error) when the recommendation subgraph does not answer. */
  recentEvents?: Maybe<Array<BehaviourEvent>>;
  /** Products for this shopper, best first (at most 50): popular in the categories of their history, then popular overall. Without personalisation consent their history is not read: the most popular products overall (source `popular`), the same for every such shopper. Visible to the shopper themselves and to admins. Null (with a SERVICE_UNAVAILABLE error) when the recommendation subgraph does not answer. */
  recommendations?: Maybe<Array<Recommendation>>;
  /** Reviews the shopper wrote, newest first. The shopper themselves or an admin only. Null (with a SERVICE_UNAVAILABLE error) when the feedback subgraph does not answer. */
  reviews?: Maybe<Array<Review>>;
  /** Visible to the shopper themselves and to admins. */
  roles: Array<Scalars['String']['output']>;
  /** The segment the shopper was placed in at the last refit; null without consent or before one. Visible to the shopper themselves and to admins. Null (with a SERVICE_UNAVAILABLE error) when the recommendation subgraph does not answer. */
  segment?: Maybe<ShopperSegment>;
};


export type UserRecentEventsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type UserRecommendationsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type UserReviewsArgs = {
  after?: InputMaybe<Scalars['ID']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

/** A day of the week, in UTC. */
export type Weekday =
  | 'FRIDAY'
  | 'MONDAY'
  | 'SATURDAY'
  | 'SUNDAY'
  | 'THURSDAY'
  | 'TUESDAY'
  | 'WEDNESDAY';

export type WeekdayActivity = {
  /** Every event type, in EventType order. */
  byType: Array<ActivityTypeCount>;
  /** Events of every type. */
  events: Scalars['Int']['output'];
  weekday: Weekday;
};

export type CategoriesQueryVariables = Exact<{ [key: string]: never; }>;


export type CategoriesQuery = { categories: Array<{ id: string, name: string }> };

export type ConsoleAnalyticsQueryVariables = Exact<{
  from: Scalars['DateTimeISO']['input'];
  to: Scalars['DateTimeISO']['input'];
  categoryId?: InputMaybe<Scalars['ID']['input']>;
  privacy?: InputMaybe<PrivacyInput>;
}>;


export type ConsoleAnalyticsQuery = { behaviourFunnel: { steps: Array<{ type: EventType, events: number, shoppers: number, reached: number, conversion?: number | null, overallConversion?: number | null }>, privacy?: { mechanism: PrivacyMechanism, epsilon: number, delta?: number | null, scale: number, budgetRemaining: number } | null }, activityPatterns: { byHour: Array<{ hour: number, events: number }>, byWeekday: Array<{ weekday: Weekday, events: number }>, privacy?: { mechanism: PrivacyMechanism, epsilon: number, delta?: number | null, scale: number, budgetRemaining: number } | null }, sessionStatistics: { sessions: number, meanEventsPerSession?: number | null, medianEventsPerSession?: number | null, meanDurationSeconds?: number | null, medianDurationSeconds?: number | null, bounceRate?: number | null, sessionsWithPurchase: number, privacy?: { mechanism: PrivacyMechanism, epsilon: number, delta?: number | null, scale: number, budgetRemaining: number } | null } };

export type ConsoleAudienceQueryVariables = Exact<{
  text: Scalars['String']['input'];
  limit: Scalars['Int']['input'];
}>;


export type ConsoleAudienceQuery = { audience: { target: string, size: number, expectedReach: number, segments: Array<{ segment: number, label: string, size: number, inAudience: number, index: number, responseRate: number, expectedResponders: number }> } };

export type ConsoleCategoriesQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleCategoriesQuery = { categories: Array<{ id: string, name: string, productCount: number, children: Array<{ id: string, name: string, productCount: number, children: Array<{ id: string, name: string, productCount: number }> }> }> };

export type ConsoleCreateCategoryMutationVariables = Exact<{
  input: CreateCategoryInput;
}>;


export type ConsoleCreateCategoryMutation = { createCategory: { id: string, name: string, slug: string } };

export type ConsoleCreateExperimentMutationVariables = Exact<{
  input: CreateExperimentInput;
}>;


export type ConsoleCreateExperimentMutation = { createExperiment: { id: string, name: string, status: ExperimentStatus } };

export type ConsoleCreateProductMutationVariables = Exact<{
  input: CreateProductInput;
}>;


export type ConsoleCreateProductMutation = { createProduct: { id: string, title: string } };

export type ConsoleExperimentResultsQueryVariables = Exact<{
  id: Scalars['ID']['input'];
  confidence?: Scalars['Float']['input'];
}>;


export type ConsoleExperimentResultsQuery = { experimentResults: { computedAt: string, confidence: number, verdict: string, experiment: { id: string, name: string, slot: RecommendationSlot, status: ExperimentStatus, allocation: ExperimentAllocation, primaryMetric: ExperimentMetric, targetSegment?: number | null, startedAt?: string | null, stoppedAt?: string | null }, winner?: { index: number, name: string } | null, sampleRatio?: { observed: Array<number>, expected: Array<number>, chiSquare: number, pValue: number, mismatch: boolean } | null, arms: Array<{ shoppers: number, slates: number, impressions: number, clicks: number, purchases: number, revenue: number, trafficShare: number, arm: { index: number, name: string, policy: BanditPolicy, exploration: number, diversity: number, share: number }, ctr: { value: number, standardError: number, lower: number, upper: number }, conversion: { value: number, standardError: number, lower: number, upper: number }, revenuePerShopper: { value: number, standardError: number, lower: number, upper: number }, comparisons: Array<{ metric: ExperimentMetric, difference: number, relativeLift?: number | null, lower: number, upper: number, pValue: number, adjustedPValue: number, significant: boolean }>, guardrails: Array<{ guardrail: Guardrail, value?: number | null, standardError?: number | null, breached: boolean }> }> } };

export type ConsoleExperimentsQueryVariables = Exact<{
  status?: InputMaybe<ExperimentStatus>;
}>;


export type ConsoleExperimentsQuery = { experiments: Array<{ id: string, name: string, slot: RecommendationSlot, status: ExperimentStatus, allocation: ExperimentAllocation, primaryMetric: ExperimentMetric, targetSegment?: number | null, createdAt: string, startedAt?: string | null, stoppedAt?: string | null, arms: Array<{ index: number, name: string, policy: BanditPolicy, exploration: number, diversity: number, share: number, sequenceModelVersion?: string | null }> }> };

export type ConsoleFeedbackInsightsQueryVariables = Exact<{
  categoryId: Scalars['ID']['input'];
}>;


export type ConsoleFeedbackInsightsQuery = { feedbackInsights: { categoryId: string, reviewsSummarised: number, topicsFittedAt?: string | null, summary: { ratingAverage?: number | null, ratingCount: number, analysedCount: number, flaggedCount: number, sentiment: { positive: number, neutral: number, negative: number }, topKeywords: Array<{ term: string, weight: number, reviews: number }>, aspects: Array<{ name: ReviewAspect, count: number, reviews: number, score: number, sentiment: { positive: number, neutral: number, negative: number }, examples: Array<{ reviewId: string, text: string, sentiment: string }> }>, suggestions: Array<{ text: string, evidenceCount: number, complaints: number, negativeShare: number, baselineShare: number, pValue: number, aspect?: ReviewAspect | null, topic?: number | null, examples: Array<{ reviewId: string, text: string, sentiment: string }> }> }, topics: Array<{ topic: number, label: string, polarity?: string | null, size: number, coherence?: number | null, sentiment: { positive: number, neutral: number, negative: number }, keywords: Array<{ term: string, weight: number }> }>, mostCriticised: Array<{ productId: string, reviews: number, negativeShare: number }> } };

export type ConsoleJobQueuesQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleJobQueuesQuery = { jobQueues: Array<{ name: string, waiting: number, active: number, delayed: number, failed: number, completed: number, paused: boolean, failedJobs: Array<{ id: string, name: string, failedReason: string, attemptsMade: number, addedAt: string, failedAt?: string | null }> }> };

export type ConsoleMeQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleMeQuery = { me?: { id: string, email: string, displayName: string, roles: Array<string> } | null };

export type ConsolePrivacyBudgetQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsolePrivacyBudgetQuery = { privacyBudget: { analystId: string, total: number, spent: number, remaining: number, totalDelta: number, remainingDelta: number, platform: { periodEnd: string, total: number, spent: number, remaining: number } } };

export type ConsoleProductsQueryVariables = Exact<{
  categoryId?: InputMaybe<Scalars['ID']['input']>;
  first: Scalars['Int']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ConsoleProductsQuery = { products: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor?: string | null }, nodes: Array<{ id: string, sku: string, title: string, description: string, brand?: string | null, price: number, currency: string, tags: Array<string>, imageUrl?: string | null, updatedAt: string, category: { id: string, name: string } }> } };

export type ConsoleRetryFailedJobMutationVariables = Exact<{
  queue: Scalars['String']['input'];
  jobId: Scalars['ID']['input'];
}>;


export type ConsoleRetryFailedJobMutation = { retryFailedJob: boolean };

export type ConsoleShopperSegmentsQueryVariables = Exact<{ [key: string]: never; }>;


export type ConsoleShopperSegmentsQuery = { shopperSegments?: { fittedAt: string, shoppers: number, k: number, silhouette: number, stability?: number | null, segments: Array<{ segment: number, label: string, summary: string, size: number, share: number, conversion: number, eventsPerShopper: number, purchasesPerShopper: number, activeHours: Array<number>, topKeywords: Array<string>, topCategories: Array<{ share: number, category: { id: string, name: string } }>, differences: Array<{ feature: string, segment: number, others: number, effect: number }> }> } | null };

export type ConsoleStartExperimentMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ConsoleStartExperimentMutation = { startExperiment: { id: string, status: ExperimentStatus, startedAt?: string | null } };

export type ConsoleStopExperimentMutationVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ConsoleStopExperimentMutation = { stopExperiment: { id: string, status: ExperimentStatus, stoppedAt?: string | null } };

export type ConsoleUpdateProductMutationVariables = Exact<{
  id: Scalars['ID']['input'];
  input: UpdateProductInput;
}>;


export type ConsoleUpdateProductMutation = { updateProduct: { id: string, title: string, price: number, updatedAt: string } };

export type ForgetMeMutationVariables = Exact<{ [key: string]: never; }>;


export type ForgetMeMutation = { forgetMe: { userId: string, events: number, interestProfiles: number, slates: number, reviews: number, jobs: number } };

export type LiveRecommendationsSubscriptionVariables = Exact<{
  slot?: InputMaybe<RecommendationSlot>;
}>;


export type LiveRecommendationsSubscription = { recommendationsUpdated: { recommendationId: string, slot: RecommendationSlot, personalised: boolean, items: Array<{ rank: number, reason: string, explored: boolean, product: { id: string, title: string, price: number, currency: string, imageUrl?: string | null } }> } };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me?: { id: string, email: string, displayName: string, locale: string, consent: { personalisation: boolean, updatedAt: string } } | null };

export type MyPageQueryVariables = Exact<{
  events?: InputMaybe<Scalars['Int']['input']>;
}>;


export type MyPageQuery = { me?: { id: string, displayName: string, email: string, consent: { personalisation: boolean, updatedAt: string }, behaviourSummary?: { personalisation: boolean, profileUpdatedAt?: string | null, interests: Array<{ label: string, weight: number, signals: number, topKeywords: Array<string>, topCategories: Array<{ weight: number, category: { id: string, name: string } }> }>, removedInterests: Array<{ label: string, removedAt: string }>, signals: { window: number, since?: string | null, lastAt?: string | null, passedOver: number, events: Array<{ type: EventType, count: number }> }, segment?: { segment: number, summary: string } | null } | null, recentEvents?: Array<{ id: string, type: EventType, query?: string | null, occurredAt: string, product?: { id: string, title: string } | null }> | null } | null };

export type ProductPageQueryVariables = Exact<{
  id: Scalars['ID']['input'];
  reviews?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ProductPageQuery = { product?: { id: string, sku: string, title: string, description: string, brand?: string | null, price: number, currency: string, tags: Array<string>, imageUrl?: string | null, category: { id: string, name: string }, ratingSummary?: { average?: number | null, count: number } | null, reviews?: { totalCount: number, nodes: Array<{ id: string, rating: number, text: string, language: string, createdAt: string, author: { id: string, displayName: string }, analysis?: { status: AnalysisStatus, keywords: Array<string>, sentiment?: { label: string, score: number } | null, aspects: Array<{ aspect: ReviewAspect, sentiment: string, clause: string }> } | null }>, pageInfo: { hasNextPage: boolean, endCursor?: string | null } } | null } | null };

export type ProductsQueryVariables = Exact<{
  filter?: InputMaybe<ProductFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ProductsQuery = { products: { totalCount: number, nodes: Array<{ id: string, title: string, price: number, currency: string, imageUrl?: string | null, category: { id: string, name: string }, ratingSummary?: { average?: number | null, count: number } | null }>, pageInfo: { hasNextPage: boolean, endCursor?: string | null } } };

export type RecommendationsQueryVariables = Exact<{
  slot?: RecommendationSlot;
  first?: Scalars['Int']['input'];
  excludeIds?: InputMaybe<Array<Scalars['ID']['input']> | Scalars['ID']['input']>;
}>;


export type RecommendationsQuery = { recommendations: { recommendationId: string, slot: RecommendationSlot, personalised: boolean, items: Array<{ rank: number, reason: string, explored: boolean, product: { id: string, title: string, price: number, currency: string, imageUrl?: string | null } }> } };

export type RefreshSessionMutationVariables = Exact<{
  refreshToken: Scalars['String']['input'];
}>;


export type RefreshSessionMutation = { refreshSession: { token: string, expiresAt: string, refreshToken: string, refreshExpiresAt: string, user: { id: string, displayName: string } } };

export type RemoveInterestMutationVariables = Exact<{
  index: Scalars['Int']['input'];
}>;


export type RemoveInterestMutation = { removeInterest: { interests: Array<{ label: string }>, removedInterests: Array<{ label: string, removedAt: string }> } };

export type SearchQueryVariables = Exact<{
  text: Scalars['String']['input'];
  first?: InputMaybe<Scalars['Int']['input']>;
  mode?: InputMaybe<SearchMode>;
}>;


export type SearchQuery = { searchProducts: Array<{ score: number, matchedBy: Array<SearchMode>, product: { id: string, title: string, price: number, currency: string, imageUrl?: string | null } }> };

export type SignInMutationVariables = Exact<{
  email: Scalars['String']['input'];
  password: Scalars['String']['input'];
}>;


export type SignInMutation = { signIn: { token: string, expiresAt: string, refreshToken: string, refreshExpiresAt: string, user: { id: string, displayName: string } } };

export type SignOutMutationVariables = Exact<{ [key: string]: never; }>;


export type SignOutMutation = { signOut: boolean };

export type SignUpMutationVariables = Exact<{
  input: SignUpInput;
}>;


export type SignUpMutation = { signUp: { token: string, expiresAt: string, refreshToken: string, refreshExpiresAt: string, user: { id: string, displayName: string } } };

export type SubmitReviewMutationVariables = Exact<{
  input: SubmitReviewInput;
}>;


export type SubmitReviewMutation = { submitReview: { id: string, rating: number, text: string, createdAt: string } };

export type TrackEventsMutationVariables = Exact<{
  events: Array<TrackEventInput> | TrackEventInput;
}>;


export type TrackEventsMutation = { trackEvents: { accepted: number, duplicates: number } };

export type UpdateConsentMutationVariables = Exact<{
  personalisation: Scalars['Boolean']['input'];
}>;


export type UpdateConsentMutation = { updateConsent: { id: string, consent: { personalisation: boolean, updatedAt: string } } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const CategoriesDocument = new TypedDocumentString(`
    query Categories {
  categories {
    id
    name
  }
}
    `, {"hash":"bdf84b0e19dad9e471fcf178e995b9d32f724f349f0e71c6772549ab20f795b3"}) as unknown as TypedDocumentString<CategoriesQuery, CategoriesQueryVariables>;
export const ConsoleAnalyticsDocument = new TypedDocumentString(`
    query ConsoleAnalytics($from: DateTimeISO!, $to: DateTimeISO!, $categoryId: ID, $privacy: PrivacyInput) {
  behaviourFunnel(
    from: $from
    to: $to
    categoryId: $categoryId
    privacy: $privacy
  ) {
    steps {
      type
      events
      shoppers
      reached
      conversion
      overallConversion
    }
    privacy {
      mechanism
      epsilon
      delta
      scale
      budgetRemaining
    }
  }
  activityPatterns(
    from: $from
    to: $to
    categoryId: $categoryId
    privacy: $privacy
  ) {
    byHour {
      hour
      events
    }
    byWeekday {
      weekday
      events
    }
    privacy {
      mechanism
      epsilon
      delta
      scale
      budgetRemaining
    }
  }
  sessionStatistics(from: $from, to: $to, privacy: $privacy) {
    sessions
    meanEventsPerSession
    medianEventsPerSession
    meanDurationSeconds
    medianDurationSeconds
    bounceRate
    sessionsWithPurchase
    privacy {
      mechanism
      epsilon
      delta
      scale
      budgetRemaining
    }
  }
}
    `, {"hash":"43b07c7b3b2c7b9a14470a7f5be53bc5b9a16c0d0d71b52b4713b6326b45b544"}) as unknown as TypedDocumentString<ConsoleAnalyticsQuery, ConsoleAnalyticsQueryVariables>;
export const ConsoleAudienceDocument = new TypedDocumentString(`
    query ConsoleAudience($text: String!, $limit: Int!) {
  audience(text: $text, limit: $limit) {
    target
    size
    expectedReach
    segments {
      segment
      label
      size
      inAudience
      index
      responseRate
      expectedResponders
    }
  }
}
    `, {"hash":"2c915d662ff93811917b0484800b82c7d6f7c1ac54869930b77ea5b02ae09e4c"}) as unknown as TypedDocumentString<ConsoleAudienceQuery, ConsoleAudienceQueryVariables>;
export const ConsoleCategoriesDocument = new TypedDocumentString(`
    query ConsoleCategories {
  categories {
    id
    name
    productCount
    children {
      id
      name
      productCount
      children {
        id
        name
        productCount
      }
    }
  }
}
    `, {"hash":"43f4cb514b24b318b56013d117b2b24d3309389d3365d6549eed6fd88475fb94"}) as unknown as TypedDocumentString<ConsoleCategoriesQuery, ConsoleCategoriesQueryVariables>;
export const ConsoleCreateCategoryDocument = new TypedDocumentString(`
    mutation ConsoleCreateCategory($input: CreateCategoryInput!) {
  createCategory(input: $input) {
    id
    name
    slug
  }
}
    `, {"hash":"8f8b1431d0368020acbcee3963232a64728f73a0216df317bef6f17ea19a3d13"}) as unknown as TypedDocumentString<ConsoleCreateCategoryMutation, ConsoleCreateCategoryMutationVariables>;
export const ConsoleCreateExperimentDocument = new TypedDocumentString(`
    mutation ConsoleCreateExperiment($input: CreateExperimentInput!) {
  createExperiment(input: $input) {
    id
    name
    status
  }
}
    `, {"hash":"7eb1a7bee810ce8271fbaa0711d2d876deb73ebeaffc0d7f9e0e29e66ba39ca8"}) as unknown as TypedDocumentString<ConsoleCreateExperimentMutation, ConsoleCreateExperimentMutationVariables>;
export const ConsoleCreateProductDocument = new TypedDocumentString(`
    mutation ConsoleCreateProduct($input: CreateProductInput!) {
  createProduct(input: $input) {
    id
    title
  }
}
    `, {"hash":"26c7e5252a770b59686795a54af2de3333c787448f31d39024f2475e0052ec2a"}) as unknown as TypedDocumentString<ConsoleCreateProductMutation, ConsoleCreateProductMutationVariables>;
export const ConsoleExperimentResultsDocument = new TypedDocumentString(`
    query ConsoleExperimentResults($id: ID!, $confidence: Float! = 0.95) {
  experimentResults(id: $id, confidence: $confidence) {
    computedAt
    confidence
    verdict
    experiment {
      id
      name
      slot
      status
      allocation
      primaryMetric
      targetSegment
      startedAt
      stoppedAt
    }
    winner {
      index
      name
    }
    sampleRatio {
      observed
      expected
      chiSquare
      pValue
      mismatch
    }
    arms {
      arm {
        index
        name
        policy
        exploration
        diversity
        share
      }
      shoppers
      slates
      impressions
      clicks
      purchases
      revenue
      trafficShare
      ctr {
        value
        standardError
        lower
        upper
      }
      conversion {
        value
        standardError
        lower
        upper
      }
      revenuePerShopper {
        value
        standardError
        lower
        upper
      }
      comparisons {
        metric
        difference
        relativeLift
        lower
        upper
        pValue
        adjustedPValue
        significant
      }
      guardrails {
        guardrail
        value
        standardError
        breached
      }
    }
  }
}
    `, {"hash":"1ffc5171d20ad8e053b6f984286e65bde354398433cba6482987129c6439134b"}) as unknown as TypedDocumentString<ConsoleExperimentResultsQuery, ConsoleExperimentResultsQueryVariables>;
export const ConsoleExperimentsDocument = new TypedDocumentString(`
    query ConsoleExperiments($status: ExperimentStatus) {
  experiments(status: $status) {
    id
    name
    slot
    status
    allocation
    primaryMetric
    targetSegment
    createdAt
    startedAt
    stoppedAt
    arms {
      index
      name
      policy
      exploration
      diversity
      share
      sequenceModelVersion
    }
  }
}
    `, {"hash":"370979a32ecda7dffd8a6abbc463847a99a10b0af6c84d118dd64405fc0ba768"}) as unknown as TypedDocumentString<ConsoleExperimentsQuery, ConsoleExperimentsQueryVariables>;
export const ConsoleFeedbackInsightsDocument = new TypedDocumentString(`
    query ConsoleFeedbackInsights($categoryId: ID!) {
  feedbackInsights(categoryId: $categoryId) {
    categoryId
    reviewsSummarised
    topicsFittedAt
    summary {
      ratingAverage
      ratingCount
      analysedCount
      flaggedCount
      sentiment {
        positive
        neutral
        negative
      }
      topKeywords {
        term
        weight
        reviews
      }
      aspects {
        name
        count
        reviews
        score
        sentiment {
          positive
          neutral
          negative
        }
        examples {
          reviewId
          text
          sentiment
        }
      }
      suggestions {
        text
        evidenceCount
        complaints
        negativeShare
        baselineShare
        pValue
        aspect
        topic
        examples {
          reviewId
          text
          sentiment
        }
      }
    }
    topics {
      topic
      label
      polarity
      size
      coherence
      sentiment {
        positive
        neutral
        negative
      }
      keywords {
        term
        weight
      }
    }
    mostCriticised {
      productId
      reviews
      negativeShare
    }
  }
}
    `, {"hash":"c650edf44769c1c62efcf7f2e0e1844e8d42441ac2023fc5529973064617e07c"}) as unknown as TypedDocumentString<ConsoleFeedbackInsightsQuery, ConsoleFeedbackInsightsQueryVariables>;
export const ConsoleJobQueuesDocument = new TypedDocumentString(`
    query ConsoleJobQueues {
  jobQueues(failedFirst: 20) {
    name
    waiting
    active
    delayed
    failed
    completed
    paused
    failedJobs {
      id
      name
      failedReason
      attemptsMade
      addedAt
      failedAt
    }
  }
}
    `, {"hash":"ce0da930a2478b42e7fd325e81d8abd51406224edb24734071a16fa85b0de5df"}) as unknown as TypedDocumentString<ConsoleJobQueuesQuery, ConsoleJobQueuesQueryVariables>;
export const ConsoleMeDocument = new TypedDocumentString(`
    query ConsoleMe {
  me {
    id
    email
    displayName
    roles
  }
}
    `, {"hash":"cefcaceb34fc35db01d3dac5dea25ac3a7db43ccf4a3a39804a56de1089ddbc9"}) as unknown as TypedDocumentString<ConsoleMeQuery, ConsoleMeQueryVariables>;
export const ConsolePrivacyBudgetDocument = new TypedDocumentString(`
    query ConsolePrivacyBudget {
  privacyBudget {
    analystId
    total
    spent
    remaining
    totalDelta
    remainingDelta
    platform {
      periodEnd
      total
      spent
      remaining
    }
  }
}
    `, {"hash":"217568e0e030cbba7221ad07905a9f2664894031ba40e2ef45d69453d3f50da1"}) as unknown as TypedDocumentString<ConsolePrivacyBudgetQuery, ConsolePrivacyBudgetQueryVariables>;
export const ConsoleProductsDocument = new TypedDocumentString(`
    query ConsoleProducts($categoryId: ID, $first: Int!, $after: String) {
  products(filter: {categoryId: $categoryId}, first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      sku
      title
      description
      brand
      price
      currency
      tags
      imageUrl
      updatedAt
      category {
        id
        name
      }
    }
  }
}
    `, {"hash":"5f896dc695b3354e473dce28aad48be7c3f13704fa023c9852b6eb3c5190dacf"}) as unknown as TypedDocumentString<ConsoleProductsQuery, ConsoleProductsQueryVariables>;
export const ConsoleRetryFailedJobDocument = new TypedDocumentString(`
    mutation ConsoleRetryFailedJob($queue: String!, $jobId: ID!) {
  retryFailedJob(queue: $queue, jobId: $jobId)
}
    `, {"hash":"4c2ff9235bf5dd937fa4b36f61585426cd0f3c67466aa0f2c0ede056ce245f7d"}) as unknown as TypedDocumentString<ConsoleRetryFailedJobMutation, ConsoleRetryFailedJobMutationVariables>;
export const ConsoleShopperSegmentsDocument = new TypedDocumentString(`
    query ConsoleShopperSegments {
  shopperSegments {
    fittedAt
    shoppers
    k
    silhouette
    stability
    segments {
      segment
      label
      summary
      size
      share
      conversion
      eventsPerShopper
      purchasesPerShopper
      activeHours
      topKeywords
      topCategories {
        share
        category {
          id
          name
        }
      }
      differences {
        feature
        segment
        others
        effect
      }
    }
  }
}
    `, {"hash":"c461627b709c8826ff3649765f2e8ec50ff5c7552e5fb72cef5c3e2835d08363"}) as unknown as TypedDocumentString<ConsoleShopperSegmentsQuery, ConsoleShopperSegmentsQueryVariables>;
export const ConsoleStartExperimentDocument = new TypedDocumentString(`
    mutation ConsoleStartExperiment($id: ID!) {
  startExperiment(id: $id) {
    id
    status
    startedAt
  }
}
    `, {"hash":"1027736bc90d8ea455c33dad9314bf6c861e2c098200e3f82f4be71a6c2a6022"}) as unknown as TypedDocumentString<ConsoleStartExperimentMutation, ConsoleStartExperimentMutationVariables>;
export const ConsoleStopExperimentDocument = new TypedDocumentString(`
    mutation ConsoleStopExperiment($id: ID!) {
  stopExperiment(id: $id) {
    id
    status
    stoppedAt
  }
}
    `, {"hash":"e1008de93237a8be3343b4f2ac44a987ebad03cf5999c567b42715e693a00a64"}) as unknown as TypedDocumentString<ConsoleStopExperimentMutation, ConsoleStopExperimentMutationVariables>;
export const ConsoleUpdateProductDocument = new TypedDocumentString(`
    mutation ConsoleUpdateProduct($id: ID!, $input: UpdateProductInput!) {
  updateProduct(id: $id, input: $input) {
    id
    title
    price
    updatedAt
  }
}
    `, {"hash":"1bee7bd5563599ea3db32b87ca29edd4e40026ab8e7dbfdd0f6d30a5885dabbe"}) as unknown as TypedDocumentString<ConsoleUpdateProductMutation, ConsoleUpdateProductMutationVariables>;
export const ForgetMeDocument = new TypedDocumentString(`
    mutation ForgetMe {
  forgetMe {
    userId
    events
    interestProfiles
    slates
    reviews
    jobs
  }
}
    `, {"hash":"95aa05ca1754fc4b6aa85bbb3bac35c852c64069b4f5e0aba29cb6ae7e6317b9"}) as unknown as TypedDocumentString<ForgetMeMutation, ForgetMeMutationVariables>;
export const LiveRecommendationsDocument = new TypedDocumentString(`
    subscription LiveRecommendations($slot: RecommendationSlot = HOME) {
  recommendationsUpdated(slot: $slot) {
    recommendationId
    slot
    personalised
    items {
      rank
      reason
      explored
      product {
        id
        title
        price
        currency
        imageUrl
      }
    }
  }
}
    `, {"hash":"13a9e30ab0a186078121429cd848e5f66563ff9001cd2fb7aae5b0f995ce9063"}) as unknown as TypedDocumentString<LiveRecommendationsSubscription, LiveRecommendationsSubscriptionVariables>;
export const MeDocument = new TypedDocumentString(`
    query Me {
  me {
    id
    email
    displayName
    locale
    consent {
      personalisation
      updatedAt
    }
  }
}
    `, {"hash":"b29a558954934437921eba263e26952570fdfed4d1ebc311582686d6d396eead"}) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const MyPageDocument = new TypedDocumentString(`
    query MyPage($events: Int = 10) {
  me {
    id
    displayName
    email
    consent {
      personalisation
      updatedAt
    }
    behaviourSummary {
      personalisation
      profileUpdatedAt
      interests {
        label
        weight
        signals
        topKeywords
        topCategories {
          weight
          category {
            id
            name
          }
        }
      }
      removedInterests {
        label
        removedAt
      }
      signals {
        window
        since
        lastAt
        passedOver
        events {
          type
          count
        }
      }
      segment {
        segment
        summary
      }
    }
    recentEvents(first: $events) {
      id
      type
      query
      occurredAt
      product {
        id
        title
      }
    }
  }
}
    `, {"hash":"ec19f8683bb0e33b377e89fc909a07fb748964f280da42296f9feb88122fc15b"}) as unknown as TypedDocumentString<MyPageQuery, MyPageQueryVariables>;
export const ProductPageDocument = new TypedDocumentString(`
    query ProductPage($id: ID!, $reviews: Int = 10, $after: String) {
  product(id: $id) {
    id
    sku
    title
    description
    brand
    price
    currency
    tags
    imageUrl
    category {
      id
      name
    }
    ratingSummary {
      average
      count
    }
    reviews(first: $reviews, after: $after) {
      nodes {
        id
        rating
        text
        language
        createdAt
        author {
          id
          displayName
        }
        analysis {
          status
          sentiment {
            label
            score
          }
          aspects {
            aspect
            sentiment
            clause
          }
          keywords
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
      totalCount
    }
  }
}
    `, {"hash":"ca219937841279747f7dde9470aac2f5d84bb8e0e346366f6f439cff16792082"}) as unknown as TypedDocumentString<ProductPageQuery, ProductPageQueryVariables>;
export const ProductsDocument = new TypedDocumentString(`
    query Products($filter: ProductFilter, $first: Int = 20, $after: String) {
  products(filter: $filter, first: $first, after: $after) {
    nodes {
      id
      title
      price
      currency
      imageUrl
      category {
        id
        name
      }
      ratingSummary {
        average
        count
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
    totalCount
  }
}
    `, {"hash":"285760001e3efcc5845bb08a4a5a0973b198354c389bf11d460b2086e48f497c"}) as unknown as TypedDocumentString<ProductsQuery, ProductsQueryVariables>;
export const RecommendationsDocument = new TypedDocumentString(`
    query Recommendations($slot: RecommendationSlot! = HOME, $first: Int! = 10, $excludeIds: [ID!]) {
  recommendations(slot: $slot, first: $first, excludeIds: $excludeIds) {
    recommendationId
    slot
    personalised
    items {
      rank
      reason
      explored
      product {
        id
        title
        price
        currency
        imageUrl
      }
    }
  }
}
    `, {"hash":"85a21f790ff3ff8c309f0f36e61fa98158deeefef6a8a50f8c8a99e7789c41e3"}) as unknown as TypedDocumentString<RecommendationsQuery, RecommendationsQueryVariables>;
export const RefreshSessionDocument = new TypedDocumentString(`
    mutation RefreshSession($refreshToken: String!) {
  refreshSession(refreshToken: $refreshToken) {
    token
    expiresAt
    refreshToken
    refreshExpiresAt
    user {
      id
      displayName
    }
  }
}
    `, {"hash":"da21d087f45861e61472b62fc4b65d28406655442394cc18da267a6d94dc9b76"}) as unknown as TypedDocumentString<RefreshSessionMutation, RefreshSessionMutationVariables>;
export const RemoveInterestDocument = new TypedDocumentString(`
    mutation RemoveInterest($index: Int!) {
  removeInterest(index: $index) {
    interests {
      label
    }
    removedInterests {
      label
      removedAt
    }
  }
}
    `, {"hash":"d0d41a2dcef24ca294a2adc210d373671bc3a8591f09a5946d71d09b3ae66397"}) as unknown as TypedDocumentString<RemoveInterestMutation, RemoveInterestMutationVariables>;
export const SearchDocument = new TypedDocumentString(`
    query Search($text: String!, $first: Int = 20, $mode: SearchMode = HYBRID) {
  searchProducts(text: $text, first: $first, mode: $mode) {
    score
    matchedBy
    product {
      id
      title
      price
      currency
      imageUrl
    }
  }
}
    `, {"hash":"795c02ca4bfe8e3bda3ec6e61f5294d0e890fc1208dbb1a601af439ec4c80893"}) as unknown as TypedDocumentString<SearchQuery, SearchQueryVariables>;
export const SignInDocument = new TypedDocumentString(`
    mutation SignIn($email: String!, $password: String!) {
  signIn(email: $email, password: $password) {
    token
    expiresAt
    refreshToken
    refreshExpiresAt
    user {
      id
      displayName
    }
  }
}
    `, {"hash":"64f7fd75a1832beb9e2f177a058664e2a6eaec59cc00a2d34b0db9373e5f88eb"}) as unknown as TypedDocumentString<SignInMutation, SignInMutationVariables>;
export const SignOutDocument = new TypedDocumentString(`
    mutation SignOut {
  signOut
}
    `, {"hash":"39300be1f6ff47633a8c264de2a924d5b71367b646d3bf86d82d7c51c6543956"}) as unknown as TypedDocumentString<SignOutMutation, SignOutMutationVariables>;
export const SignUpDocument = new TypedDocumentString(`
    mutation SignUp($input: SignUpInput!) {
  signUp(input: $input) {
    token
    expiresAt
    refreshToken
    refreshExpiresAt
    user {
      id
      displayName
    }
  }
}
    `, {"hash":"888a296d1eed191b28338f42396516e2d41dbbcf977d9dd48811477adc6f367e"}) as unknown as TypedDocumentString<SignUpMutation, SignUpMutationVariables>;
export const SubmitReviewDocument = new TypedDocumentString(`
    mutation SubmitReview($input: SubmitReviewInput!) {
  submitReview(input: $input) {
    id
    rating
    text
    createdAt
  }
}
    `, {"hash":"af2bfd3ba97ce3024b9e4ea81df89d7b6360c76c8601defc2d842e249bf79357"}) as unknown as TypedDocumentString<SubmitReviewMutation, SubmitReviewMutationVariables>;
export const TrackEventsDocument = new TypedDocumentString(`
    mutation TrackEvents($events: [TrackEventInput!]!) {
  trackEvents(events: $events) {
    accepted
    duplicates
  }
}
    `, {"hash":"85dc02b8722246107483bba1d8a7c2ed793be7c13deffa5bc1019c613d31f441"}) as unknown as TypedDocumentString<TrackEventsMutation, TrackEventsMutationVariables>;
export const UpdateConsentDocument = new TypedDocumentString(`
    mutation UpdateConsent($personalisation: Boolean!) {
  updateConsent(personalisation: $personalisation) {
    id
    consent {
      personalisation
      updatedAt
    }
  }
}
    `, {"hash":"1e7ab43712e5260eb2858221c15c80506e6c37ad8d045f45680fda55d59a2bd2"}) as unknown as TypedDocumentString<UpdateConsentMutation, UpdateConsentMutationVariables>;