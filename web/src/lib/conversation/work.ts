// What an agent does to a conversation, each as one call that answers an Outcome: the conversation
// or message as the api now has it, or the problem (typed refusal or failed request) to show.
import type { AnyVariables, Client, TypedDocumentNode } from '@urql/core';
import { outcomeOf, type Outcome } from '#lib/graphql/outcome.ts';
import type { MediaKind } from '#lib/graphql/types.ts';
import { fetchWithUploadProgress, type UploadProgress } from '#lib/graphql/upload-fetch.ts';
import type { ConversationSummary, Message } from './fragments.ts';
import {
	AssignConversationMutation,
	LabelConversationMutation,
	SendMediaMutation,
	SendTemplateMutation,
	SendTextMutation,
	SetConversationStatusMutation,
	TransferConversationMutation,
	UnassignConversationMutation,
	UnlabelConversationMutation,
	UploadMediaMutation,
	type UploadedMedia
} from './operations.ts';

export type SettableStatus = 'OPEN' | 'PENDING' | 'RESOLVED';

export function createWork(client: Client, conversationId: string) {
	const run = <D, V extends AnyVariables>(document: TypedDocumentNode<D, V>, variables: V) =>
		client.mutation(document, variables).toPromise();

	return {
		async assign(userId: string, force = false): Promise<Outcome<ConversationSummary>> {
			const result = await run(AssignConversationMutation, { conversationId, userId, force });
			return outcomeOf(result.data?.assignConversation, 'conversation', result.error);
		},
		async unassign(): Promise<Outcome<ConversationSummary>> {
			const result = await run(UnassignConversationMutation, { conversationId });
			return outcomeOf(result.data?.unassignConversation, 'conversation', result.error);
		},
		async transfer(departmentId: string): Promise<Outcome<ConversationSummary>> {
			const result = await run(TransferConversationMutation, { conversationId, departmentId });
			return outcomeOf(result.data?.transferConversation, 'conversation', result.error);
		},
		async setStatus(status: SettableStatus): Promise<Outcome<ConversationSummary>> {
			const result = await run(SetConversationStatusMutation, { conversationId, status });
			return outcomeOf(result.data?.setConversationStatus, 'conversation', result.error);
		},
		async label(labelId: string, on: boolean): Promise<Outcome<ConversationSummary>> {
			if (on) {
				const result = await run(LabelConversationMutation, { conversationId, labelId });
				return outcomeOf(result.data?.labelConversation, 'conversation', result.error);
			}
			const result = await run(UnlabelConversationMutation, { conversationId, labelId });
			return outcomeOf(result.data?.unlabelConversation, 'conversation', result.error);
		},
		async sendText(body: string, replyToMessageId: string | null): Promise<Outcome<Message>> {
			const result = await run(SendTextMutation, { conversationId, body, replyToMessageId });
			return outcomeOf(result.data?.sendText, 'reply', result.error);
		},
		/** The file goes to the api's store (multipart); it reaches Meta when sendMedia's message is sent. */
		async uploadMedia(file: File, onProgress: (progress: UploadProgress) => void): Promise<Outcome<UploadedMedia>> {
			const result = await client.mutation(UploadMediaMutation, { file }, { fetch: fetchWithUploadProgress(onProgress) }).toPromise();
			return outcomeOf(result.data?.uploadMedia, 'media', result.error);
		},
		async sendMedia(kind: MediaKind, uploadedMediaId: string, caption: string | null, replyToMessageId: string | null): Promise<Outcome<Message>> {
			const result = await run(SendMediaMutation, { conversationId, kind, uploadedMediaId, caption, replyToMessageId });
			return outcomeOf(result.data?.sendMedia, 'reply', result.error);
		},
		async sendTemplate(name: string, language: string, parameters: { name?: string; value: string }[]): Promise<Outcome<Message>> {
			const result = await run(SendTemplateMutation, { conversationId, name, language, parameters });
			return outcomeOf(result.data?.sendTemplate, 'reply', result.error);
		}
	};
}

export type Work = ReturnType<typeof createWork>;
