// Every named schema (one with an `$id`) of the contract. buildApp registers them once, so routes reference them
// with ref() and the OpenAPI document lists them under components/schemas; a new named schema goes here, or
// Fastify refuses to start on the unresolved reference.
import {
  NewPractice,
  NewSourceToken,
  NewUser,
  Practice,
  PracticeList,
  PracticeSummary,
  PracticeUser,
  ResetPassword,
  RevokedToken,
  RevokeToken,
  SourceToken,
  TokenList,
  TokenSummary,
} from './admin.contract.ts';
import { Activation, ActivationSource } from './activation.contract.ts';
import { AddressRecord, Batch, ClientRecord, ContactRecord } from './batch.contract.ts';
import {
  AddressItem,
  ClientDetail,
  ClientItem,
  ClientPage,
  ContactDetail,
  ContactItem,
  ContactPage,
  SourceRef,
} from './clients.contract.ts';
import {
  Actor,
  BatchReceipt,
  CompleteBody,
  ErrorFileRow,
  FailedRefs,
  ImportList,
  ImportView,
  StartImportBody,
} from './imports.contract.ts';
import { FailureGroups, FailureGroupView, FailureRow } from './failures.contract.ts';
import { Problem, UndoDependants } from './problem.contract.ts';
import { UndoPreview } from './undo.contract.ts';
import { Banner, DismissBody, SessionAnswer, SignInBody, User } from './session.contract.ts';

export const NAMED_SCHEMAS = [
  Problem,
  UndoDependants,
  Actor,
  ImportView,
  ImportList,
  StartImportBody,
  CompleteBody,
  BatchReceipt,
  FailedRefs,
  UndoPreview,
  ErrorFileRow,
  FailureRow,
  FailureGroupView,
  FailureGroups,
  Batch,
  ClientRecord,
  ContactRecord,
  AddressRecord,
  SourceRef,
  AddressItem,
  ClientItem,
  ClientPage,
  ClientDetail,
  ContactItem,
  ContactPage,
  ContactDetail,
  User,
  SessionAnswer,
  SignInBody,
  Banner,
  DismissBody,
  Practice,
  NewPractice,
  SourceToken,
  NewSourceToken,
  PracticeUser,
  NewUser,
  PracticeSummary,
  PracticeList,
  TokenSummary,
  TokenList,
  RevokeToken,
  RevokedToken,
  ResetPassword,
  ActivationSource,
  Activation,
];
