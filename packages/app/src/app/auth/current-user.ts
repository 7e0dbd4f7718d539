import Parse from 'parse';

export interface CurrentUser {
  id: string;
  username: string;
  email: string;
}

export function toCurrentUser(user: Parse.User): CurrentUser {
  return { id: user.id ?? '', username: user.getUsername() ?? '', email: user.getEmail() ?? '' };
}

export type TeamRole = 'admins' | 'managers';
