import { ActivityType } from '../core/models';

export interface ActivityTypeInfo {
  label: string;
  icon: string;
  /** The composer's button, e.g. "Log call". */
  action: string;
  tint: string;
  ink: string;
}

export const ACTIVITY_TYPE_INFO: Record<ActivityType, ActivityTypeInfo> = {
  call: { label: 'Call', icon: 'call', action: 'Log call', tint: '#e0f2fe', ink: '#075985' },
  email: { label: 'Email', icon: 'mail', action: 'Log email', tint: '#ede9fe', ink: '#5b21b6' },
  meeting: { label: 'Meeting', icon: 'groups', action: 'Schedule meeting', tint: '#fef3c7', ink: '#92400e' },
  note: { label: 'Note', icon: 'sticky_note_2', action: 'Add note', tint: '#dcfce7', ink: '#166534' },
};
