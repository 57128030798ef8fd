import { render } from 'preact';
import './style.css';
import { App } from './views/app';
import { store } from './store';

render(<App />, document.getElementById('app')!);
void store.start();
