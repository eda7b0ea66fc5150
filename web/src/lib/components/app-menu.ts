// The app bar's menu as the controls inside it see it: on a narrow screen it is closed, so a control
// that a shortcut focuses (the search box's /) asks it to open first.
import { createContext } from 'svelte';

export interface AppMenu {
	/** Opens the menu, if it is a menu on this screen, and resolves once its contents are shown. */
	reveal(): Promise<void>;
}

export const [getAppMenu, setAppMenu, hasAppMenu] = createContext<AppMenu>();
